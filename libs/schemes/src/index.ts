export { BUILTIN_SCHEMES } from './builtin-schemes';
export {
  CAP_SEVERITIES,
  CapSeverity,
  LevelTexts,
  LevelTranslations,
  Scheme,
  SchemeApproval,
  SchemeLevel,
  SchemeTexts,
  SchemeTranslations,
} from './scheme';
export { approvalProblem } from './scheme-approval';
export { levelText, levelTitle, mergeTranslations, schemeText, translationFor } from './scheme-texts';
export { SchemesModule } from './schemes.module';
export { seedBuiltinSchemes, StoredScheme } from './schemes.repository';
export { SchemeChanges, SchemesService } from './schemes.service';
