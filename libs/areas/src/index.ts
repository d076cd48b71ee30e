export {
  Area,
  AreaType,
  areaCovers,
  countryCodeOf,
  countryNames,
  defaultSchemeFor,
  findArea,
  LEGACY_AREA_CODES,
  listAreas,
} from './areas';
