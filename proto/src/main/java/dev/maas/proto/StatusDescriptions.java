package dev.maas.proto;

/**
 * Status descriptions as every maas service sends them: at most {@link #MAX_CHARS} characters, so
 * the {@code grpc-message} trailer fits a client's default 8 KiB header limit even when the text
 * echoes a very long name the caller sent.
 */
public final class StatusDescriptions {

  /** The longest description sent before it is cut. */
  public static final int MAX_CHARS = 512;

  private static final String CUT = "... (cut)";

  private StatusDescriptions() {}

  /**
   * {@code description} cut to {@link #MAX_CHARS}, marked as cut, never splitting a surrogate pair;
   * null stays null.
   */
  public static String bounded(String description) {
    if (description == null || description.length() <= MAX_CHARS) {
      return description;
    }
    int end = MAX_CHARS;
    if (Character.isHighSurrogate(description.charAt(end - 1))) {
      end--;
    }
    return description.substring(0, end) + CUT;
  }
}
