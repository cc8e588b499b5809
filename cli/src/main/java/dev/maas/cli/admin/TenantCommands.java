package dev.maas.cli.admin;

import dev.maas.cli.CliCommand;
import dev.maas.cli.output.Printer;
import dev.maas.cli.output.Table;
import dev.maas.sdk.admin.Tenant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code maas tenant create|list|get|suspend|resume|delete}. */
@Command(
    name = "tenant",
    description = "Manage tenants (create, suspend, resume, delete need the admin token).",
    mixinStandardHelpOptions = true,
    subcommands = {
      TenantCommands.Create.class,
      TenantCommands.ListTenants.class,
      TenantCommands.Get.class,
      TenantCommands.Suspend.class,
      TenantCommands.Resume.class,
      TenantCommands.Delete.class
    })
public final class TenantCommands {

  private TenantCommands() {}

  private static void print(Printer printer, Tenant tenant) {
    printer.print(tenant, () -> table(List.of(tenant)));
  }

  private static Table table(List<Tenant> tenants) {
    Table table = Table.of("NAME", "STATUS", "DISPLAY NAME", "CREATED");
    for (Tenant t : tenants) {
      table.row(t.name(), t.status(), t.displayName(), Printer.time(t.createTime()));
    }
    return table;
  }

  /** {@code maas tenant create NAME}. */
  @Command(name = "create", description = "Create a tenant.")
  static final class Create extends CliCommand {
    @Parameters(paramLabel = "NAME", description = "Lower-case letters, digits and '-'.")
    String name;

    @Option(names = "--display-name", description = "Free text for people.")
    String displayName;

    @Override
    protected int run() {
      print(printer(), admin().tenants().create(name, displayName));
      return 0;
    }
  }

  /** {@code maas tenant list}. */
  @Command(name = "list", description = "List tenants.")
  static final class ListTenants extends CliCommand {
    @Override
    protected int run() {
      List<Tenant> tenants = admin().tenants().list();
      printer().print(tenants, () -> table(tenants));
      return 0;
    }
  }

  /** {@code maas tenant get NAME}. */
  @Command(name = "get", description = "Show a tenant.")
  static final class Get extends CliCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    protected int run() {
      print(printer(), admin().tenants().get(name));
      return 0;
    }
  }

  /** {@code maas tenant suspend NAME}. */
  @Command(name = "suspend", description = "Suspend a tenant: its keys stop working.")
  static final class Suspend extends CliCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    protected int run() {
      print(printer(), admin().tenants().suspend(name));
      return 0;
    }
  }

  /** {@code maas tenant resume NAME}. */
  @Command(name = "resume", description = "Resume a suspended tenant.")
  static final class Resume extends CliCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    protected int run() {
      print(printer(), admin().tenants().resume(name));
      return 0;
    }
  }

  /** {@code maas tenant delete NAME}. */
  @Command(
      name = "delete",
      description = "Delete a tenant with its keys, quotas and models (none may be deployed).")
  static final class Delete extends CliCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    protected int run() {
      admin().tenants().delete(name);
      printer().line("deleted tenant " + name);
      if (printer().json()) {
        printer().printJson(java.util.Map.of("deleted", name));
      }
      return 0;
    }
  }
}
