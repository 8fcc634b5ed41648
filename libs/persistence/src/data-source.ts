import { DataSource, type EntitySchema, type MixedList } from "typeorm";

export interface DataSourceOptions {
  url: string;
  /** Entities are `EntitySchema`s: tsx/esbuild emit no decorator metadata, so decorators are not used. */
  entities?: EntitySchema[];
  migrations: MixedList<new () => unknown>;
  /** Connections in the pool. */
  poolSize?: number;
  /** Application name shown in pg_stat_activity. */
  applicationName: string;
  /** Passed to the node-postgres pool, e.g. session timeouts (statement_timeout, lock_timeout). */
  extra?: Record<string, unknown>;
}

/** Creates and initialises a TypeORM data source over pg. Schema changes only ever come from migrations. */
export async function openDataSource(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = new DataSource({
    type: "postgres",
    url: options.url,
    entities: options.entities ?? [],
    migrations: options.migrations as unknown as MixedList<string>,
    migrationsTableName: "schema_migrations",
    synchronize: false,
    logging: false,
    applicationName: options.applicationName,
    poolSize: options.poolSize ?? 10,
    ...(options.extra ? { extra: options.extra } : {}),
  });
  return dataSource.initialize();
}

/** Opens a short-lived data source, applies pending migrations and closes it. */
export async function migrate(options: DataSourceOptions): Promise<void> {
  const dataSource = await openDataSource({ ...options, poolSize: 1 });
  try {
    await dataSource.runMigrations({ transaction: "each" });
  } finally {
    await dataSource.destroy();
  }
}
