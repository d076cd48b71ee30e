export { requireArea, resolveAreaCodes } from './area-codes';
export {
  Area,
  areaCovers,
  areaName,
  areaNames,
  areaNamesLanguage,
  areaOf,
  AreaType,
  countryCodeOf,
  countryNames,
  defaultSchemeFor,
  EVERYWHERE,
  findArea,
  findCountry,
  listAreas,
  localisedArea,
  mainTimeZone,
} from './areas';
