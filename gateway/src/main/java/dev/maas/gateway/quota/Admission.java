package dev.maas.gateway.quota;

/**
 * An admitted call's hold on its tenant's concurrency; {@link #close()} when the call ends, on
 * every path. Closing twice is harmless.
 */
public final class Admission implements AutoCloseable {

  private final ConcurrencyLimiter.Slot slot;

  Admission(ConcurrencyLimiter.Slot slot) {
    this.slot = slot;
  }

  @Override
  public void close() {
    slot.release();
  }
}
