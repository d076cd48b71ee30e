export { BUILTIN_SCHEMES } from './builtin-schemes';
export { CAP_SEVERITIES, CapSeverity, Scheme, SchemeLevel } from './scheme';
export { SchemesModule } from './schemes.module';
export { seedBuiltinSchemes, StoredScheme } from './schemes.repository';
export { SchemeChanges, SchemesService } from './schemes.service';
