package dev.maas.cli.config;

import dev.maas.cli.CliCommand;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code maas login}: checks the credentials and saves them as a profile. */
@Command(
    name = "login",
    description = {
      "Check the endpoint and credentials given by flags or MAAS_* variables and save them as a"
          + " profile (file mode 600), so later commands need neither.",
      "Example: maas login --endpoint localhost:7001 --token $TOKEN --gateway localhost:8001"
          + " --api-key $KEY --tenant acme"
    })
public final class LoginCommand extends CliCommand {

  @Option(names = "--no-verify", description = "Save without calling the platform first.")
  boolean noVerify;

  @Override
  protected int run() {
    global.creatingProfile();
    Settings settings = settings();
    if (!noVerify) {
      verify(settings);
    }
    Map<String, String> values = new LinkedHashMap<>();
    values.put("endpoint", settings.endpoint());
    values.put("gateway", settings.gateway());
    values.put("token", settings.token());
    values.put("api-key", settings.apiKey());
    values.put("tenant", settings.tenant());
    values.put("tls", Boolean.toString(settings.tls()));
    values.put("ca-file", settings.caFile() == null ? null : settings.caFile().toString());
    settings.profiles().write(settings.profile(), values);
    printer()
        .print(
            Map.of("profile", settings.profile(), "file", settings.profiles().file().toString()),
            () ->
                dev.maas.cli.output.Table.of("PROFILE", "ENDPOINT", "GATEWAY", "TENANT", "FILE")
                    .row(
                        settings.profile(),
                        settings.endpoint(),
                        settings.gateway(),
                        settings.tenant(),
                        settings.profiles().file()));
    return 0;
  }

  /** Calls the admin API with the token and the gateway with the API key, when given. */
  private void verify(Settings settings) {
    if (settings.token() == null && settings.apiKey() == null) {
      throw dev.maas.cli.CliException.usage(
          "nothing to log in with: give --token (admin API) and/or --api-key (gateway)");
    }
    if (settings.token() != null) {
      admin().tenants().list();
    }
    if (settings.apiKey() != null) {
      // Needs a valid key: UNAUTHENTICATED otherwise; a model of this name need not exist.
      inference().isModelReady("maas-login-check");
    }
  }
}
