package dev.maas.cli.admin;

import dev.maas.cli.CliCommand;
import dev.maas.cli.Durations;
import dev.maas.cli.output.Printer;
import dev.maas.cli.output.Table;
import dev.maas.sdk.admin.ApiKey;
import dev.maas.sdk.admin.CreatedApiKey;
import dev.maas.sdk.admin.Scope;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code maas key create|list|revoke}. */
@Command(
    name = "key",
    description = "Manage a tenant's API keys.",
    mixinStandardHelpOptions = true,
    subcommands = {KeyCommands.Create.class, KeyCommands.ListKeys.class, KeyCommands.Revoke.class})
public final class KeyCommands {

  private KeyCommands() {}

  private static Table table(List<ApiKey> keys) {
    Table table =
        Table.of("KEY ID", "SCOPES", "DESCRIPTION", "CREATED", "EXPIRES", "REVOKED", "LAST USED");
    for (ApiKey key : keys) {
      table.row(
          key.keyId(),
          key.scopes().stream()
              .map(s -> s.name().toLowerCase(java.util.Locale.ROOT))
              .collect(Collectors.joining(",")),
          key.description(),
          Printer.time(key.createTime()),
          Printer.time(key.expireTime()),
          Printer.time(key.revokeTime()),
          Printer.time(key.lastUsedTime()));
    }
    return table;
  }

  /** {@code maas key create --scope infer}. */
  @Command(name = "create", description = "Create an API key; its secret is printed this once.")
  static final class Create extends CliCommand {
    @Option(
        names = "--scope",
        split = ",",
        required = true,
        paramLabel = "SCOPE",
        description = "infer, manage, or both (infer,manage).")
    List<String> scopes;

    @Option(names = "--description", description = "Free text for people.")
    String description;

    @Option(
        names = "--expires",
        paramLabel = "WHEN",
        description = "When it stops working: a duration from now (30d, 12h) or an ISO instant.")
    String expires;

    @Override
    protected int run() {
      Set<Scope> parsed = new LinkedHashSet<>();
      scopes.forEach(s -> parsed.add(Scope.of(s)));
      CreatedApiKey created =
          admin().apiKeys().create(tenant(), parsed, description, expiry(expires));
      if (printer().json()) {
        printer().printJson(created);
        return 0;
      }
      table(List.of(created.key())).print(out());
      out().println();
      out().println("secret: " + created.secret());
      out().flush();
      err().println("Store the secret now: it is not shown again.");
      err().flush();
      return 0;
    }

    private static Instant expiry(String text) {
      if (text == null) {
        return null;
      }
      try {
        return Instant.parse(text.strip());
      } catch (java.time.format.DateTimeParseException e) {
        // A duration counts forward: --expires 30d is 30 days from now.
        return Instant.now().plus(Durations.parse(text));
      }
    }
  }

  /** {@code maas key list}. */
  @Command(name = "list", description = "List a tenant's keys (no secrets).")
  static final class ListKeys extends CliCommand {
    @Override
    protected int run() {
      List<ApiKey> keys = admin().apiKeys().list(tenant());
      printer().print(keys, () -> table(keys));
      return 0;
    }
  }

  /** {@code maas key revoke KEY_ID}. */
  @Command(name = "revoke", description = "Revoke a key: gateways refuse it within a second.")
  static final class Revoke extends CliCommand {
    @Parameters(paramLabel = "KEY_ID", description = "The key's id (the part after mk_).")
    String keyId;

    @Override
    protected int run() {
      ApiKey key = admin().apiKeys().revoke(tenant(), keyId);
      printer().print(key, () -> table(List.of(key)));
      return 0;
    }
  }
}
