package dev.maas.standalone.reliability;

/** Reads values out of a Prometheus text exposition. */
final class PrometheusText {

  private PrometheusText() {}

  /**
   * The sum of every sample of {@code metric} whose labels contain each of {@code labels} (as
   * {@code name="value"} text); 0 when there is none.
   */
  static double sum(String text, String metric, String... labels) {
    double sum = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || !line.startsWith(metric)) {
        continue;
      }
      String name = line.substring(0, nameEnd(line));
      if (!name.equals(metric)) {
        continue;
      }
      boolean wanted = true;
      for (String label : labels) {
        wanted &= line.contains(label);
      }
      if (wanted) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  private static int nameEnd(String line) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '{' || c == ' ') {
        return i;
      }
    }
    return line.length();
  }
}
