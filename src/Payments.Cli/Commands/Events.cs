using System.CommandLine;
using System.Globalization;
using Payments.Core.Errors;
using Payments.Server.Data;
using Payments.Server.Features.Outbox;

namespace Payments.Cli.Commands;

/// <summary><c>events replay --since …</c>: send outgoing webhooks again.</summary>
public static class Events
{
    public static Command Command()
    {
        var since = new Option<string>("--since")
        {
            Description = "Events created at or after this instant (ISO 8601, e.g. 2026-12-07T10:00:00Z) or this long ago (90m, 6h, 2d).",
            Required = true,
        };
        var endpoint = new Option<string?>("--endpoint") { Description = "Only this endpoint (we_…); default: every endpoint subscribed to the event." };
        var replay = new Command("replay", "Deliver events again (same event ids) to the endpoints subscribed to them; the running service sends them.")
        {
            since, endpoint,
        };
        replay.SetAction(async (parse, ct) => await Context.WithServicesAsync(async services =>
        {
            var clock = services.GetRequiredService<TimeProvider>();
            var from = ParseSince(parse.GetValue(since)!, clock.GetUtcNow());
            var db = services.GetRequiredService<PaymentsDb>();
            var made = await OutboxReplay.ReplayAsync(db, clock, from, parse.GetValue(endpoint), ct);
            await Context.Output.WriteLineAsync($"{made} deliveries due again (events since {from:O}).");
            return 0;
        }));
        var command = new Command("events", "Outgoing webhooks to the host application.");
        command.Subcommands.Add(replay);
        return command;
    }

    internal static DateTimeOffset ParseSince(string raw, DateTimeOffset now)
    {
        raw = raw.Trim();
        if (raw.Length > 1 && long.TryParse(raw[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            var ago = raw[^1] switch { 'm' => TimeSpan.FromMinutes(n), 'h' => TimeSpan.FromHours(n), 'd' => TimeSpan.FromDays(n), _ => (TimeSpan?)null };
            if (ago is { } span) return now - span;
        }
        if (DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)) return at;
        throw PaymentsException.Validation($"--since '{raw}' is neither an ISO 8601 instant nor a duration such as 90m, 6h or 2d.");
    }
}
