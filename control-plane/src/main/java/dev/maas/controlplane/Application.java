package dev.maas.controlplane;

import io.micronaut.runtime.Micronaut;
import java.util.ArrayList;
import java.util.List;

/**
 * The control plane: {@code java -jar maas-control-plane.jar [--data-dir DIR]}. Configuration comes
 * from application.yml, {@code MAAS_*} environment variables and {@code --maas.*=value} flags.
 */
public final class Application {

  private Application() {}

  /** Starts the control plane. */
  public static void main(String[] args) {
    Micronaut.build(withShortFlags(args)).mainClass(Application.class).start();
  }

  /**
   * Turns {@code --data-dir DIR} into {@code --maas.data-dir=DIR}, as the other services spell it.
   */
  static String[] withShortFlags(String[] args) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--data-dir") && i + 1 < args.length) {
        out.add("--maas.data-dir=" + args[++i]);
      } else if (arg.startsWith("--data-dir=")) {
        out.add("--maas." + arg.substring(2));
      } else {
        out.add(arg);
      }
    }
    return out.toArray(String[]::new);
  }
}
