/** A failure that ends an eval run (bad key, unknown model, most requests failing): the run is failed with its message. */
export class RunFailure extends Error {}
