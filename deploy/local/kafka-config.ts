export interface BrokerPorts {
  /** Client (PLAINTEXT) port. */
  port: number;
  /** KRaft controller port. */
  controllerPort: number;
}

/** A single combined broker + controller (KRaft) on 127.0.0.1, keeping its log in `dataDir`. */
export function serverProperties(dataDir: string, { port, controllerPort }: BrokerPorts): string {
  return properties({
    "process.roles": "broker,controller",
    "node.id": "1",
    "controller.quorum.voters": `1@127.0.0.1:${controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    "advertised.listeners": `PLAINTEXT://127.0.0.1:${port}`,
    "controller.listener.names": "CONTROLLER",
    "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
    "inter.broker.listener.name": "PLAINTEXT",
    "log.dirs": dataDir,
    // One broker: internal topics at replication factor 1, or consumer groups never find a coordinator.
    "offsets.topic.replication.factor": "1",
    // One coordinator partition instead of 50: a fresh broker serves consumer groups seconds sooner.
    "offsets.topic.num.partitions": "1",
    "transaction.state.log.replication.factor": "1",
    "transaction.state.log.min.isr": "1",
    "group.initial.rebalance.delay.ms": "0",
  });
}

/** INFO and above to `logFile`; only warnings and errors on stdout, which the runner shows. */
export function log4jProperties(logFile: string): string {
  const layout = {
    layout: "org.apache.log4j.PatternLayout",
    "layout.ConversionPattern": "[%d] %p %m (%c)%n",
  };
  return properties({
    "log4j.rootLogger": "INFO, file, stdout",
    ...prefixed("log4j.appender.stdout", {
      "": "org.apache.log4j.ConsoleAppender",
      Threshold: "WARN",
      ...layout,
    }),
    ...prefixed("log4j.appender.file", {
      "": "org.apache.log4j.RollingFileAppender",
      File: logFile,
      MaxFileSize: "10MB",
      MaxBackupIndex: "2",
      ...layout,
    }),
  });
}

function prefixed(prefix: string, entries: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(entries).map(([key, value]) => [key ? `${prefix}.${key}` : prefix, value]),
  );
}

function properties(entries: Record<string, string>): string {
  return Object.entries(entries)
    .map(([key, value]) => `${key}=${value}\n`)
    .join("");
}
