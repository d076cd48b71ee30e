export { requireArea, resolveAreaCodes } from './area-codes';
export {
  Area,
  areaCovers,
  areaOf,
  AreaType,
  countryCodeOf,
  countryNames,
  defaultSchemeFor,
  EVERYWHERE,
  findArea,
  findCountry,
  listAreas,
} from './areas';
