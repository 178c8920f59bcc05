using System.CommandLine;

namespace Payments.Cli.Commands;

public static class Migrate
{
    public static Command Command()
    {
        var command = new Command("migrate", "Apply pending schema migrations (the server also does this at start).");
        command.SetAction(async (_, _) => await Context.WithServicesAsync(async _ =>
        {
            await Context.Output.WriteLineAsync("Schema is up to date.");
            return 0;
        }));
        return command;
    }
}
