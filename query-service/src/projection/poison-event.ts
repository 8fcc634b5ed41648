/** An event the projector can never apply (undecodable, unknown, out of sequence); it goes to the dead-letter topic. */
export class PoisonEvent extends Error {}
