export { openDataSource, migrate, type DataSourceOptions } from "./data-source.ts";
