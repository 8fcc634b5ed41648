export interface BrokerPorts {
  /** Client (PLAINTEXT) port. */
  port: number;
  /** KRaft controller port. */
  controllerPort: number;
}

/** One node of a KRaft quorum whose nodes all run broker and controller. */
export interface QuorumNode extends BrokerPorts {
  nodeId: number;
}

/** A single combined broker + controller (KRaft) on 127.0.0.1, keeping its log in `dataDir`. */
export function serverProperties(dataDir: string, ports: BrokerPorts): string {
  const node = { nodeId: 1, ...ports };
  return properties({
    ...nodeProperties(dataDir, node, [node]),
    // One broker: internal topics at replication factor 1, or consumer groups never find a coordinator.
    "offsets.topic.replication.factor": "1",
    // One coordinator partition instead of 50: a fresh broker serves consumer groups seconds sooner.
    "offsets.topic.num.partitions": "1",
    "transaction.state.log.replication.factor": "1",
    "transaction.state.log.min.isr": "1",
    "group.initial.rebalance.delay.ms": "0",
  });
}

/**
 * `self`, one of `quorum` (three or more nodes, each broker + controller, on 127.0.0.1): every topic and
 * internal topic replicated to three nodes, and acks=all writes acknowledged by at least two, so one
 * node may die without losing an acknowledged write or stopping producers and consumer groups.
 */
export function quorumServerProperties(dataDir: string, self: QuorumNode, quorum: QuorumNode[]): string {
  if (quorum.length < 3) throw new Error(`a replicated quorum needs 3 nodes or more, got ${quorum.length}`);
  return properties({
    ...nodeProperties(dataDir, self, quorum),
    "default.replication.factor": "3",
    "min.insync.replicas": "2",
    "offsets.topic.replication.factor": "3",
    // Fewer coordinator partitions than the default 50: a fresh cluster serves consumer groups sooner.
    "offsets.topic.num.partitions": "6",
    "transaction.state.log.replication.factor": "3",
    "transaction.state.log.min.isr": "2",
    "group.initial.rebalance.delay.ms": "0",
    // Small machines: fewer request threads than the defaults (3 network, 8 I/O).
    "num.network.threads": "2",
    "num.io.threads": "2",
  });
}

function nodeProperties(dataDir: string, self: QuorumNode, quorum: QuorumNode[]): Record<string, string> {
  return {
    "process.roles": "broker,controller",
    "node.id": String(self.nodeId),
    "controller.quorum.voters": quorum
      .map((node) => `${node.nodeId}@127.0.0.1:${node.controllerPort}`)
      .join(","),
    listeners: `PLAINTEXT://127.0.0.1:${self.port},CONTROLLER://127.0.0.1:${self.controllerPort}`,
    "advertised.listeners": `PLAINTEXT://127.0.0.1:${self.port}`,
    "controller.listener.names": "CONTROLLER",
    "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
    "inter.broker.listener.name": "PLAINTEXT",
    "log.dirs": dataDir,
  };
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
