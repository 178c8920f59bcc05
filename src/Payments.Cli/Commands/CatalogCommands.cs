using System.CommandLine;
using Payments.Server.Features.Billing;

namespace Payments.Cli.Commands;

/// <summary><c>catalog sync</c>: record the configured catalog and bring every billing provider up to it, now.</summary>
public static class CatalogCommands
{
    public static Command Command()
    {
        var provider = new Option<string[]>("--provider") { Description = "Only these providers (e.g. stripe); default: every enabled billing provider." };
        var sync = new Command("sync",
            "Record the configured products and prices, create what providers lack (a changed price is a new provider price) " +
            "and archive prices no longer on sale; prints what it did.") { provider };
        sync.SetAction(async (parse, ct) => await Context.WithServicesAsync(async services =>
        {
            var only = parse.GetValue(provider) is { Length: > 0 } names ? names.Select(n => n.Trim().ToLowerInvariant()).ToList() : null;
            var report = await services.GetRequiredService<CatalogSync>().RunAsync(only, ct);
            foreach (var change in report.Changes) await Context.Output.WriteLineAsync(change.ToString());
            if (report.Changes.Count == 0 && report.Complete) await Context.Output.WriteLineAsync("Nothing to change: every provider has the catalog.");
            foreach (var (name, error) in report.Failures) await Context.Error.WriteLineAsync($"payments-cli: {name}: {error}");
            return report.Complete ? 0 : 4;
        }));
        var command = new Command("catalog", "Products and recurring prices (Catalog__… settings) and their copies at billing providers.");
        command.Subcommands.Add(sync);
        return command;
    }
}
