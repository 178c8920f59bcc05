using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Payments.Server.Data;
using Payments.Server.Features.Auth;

namespace Payments.Cli.Commands;

public static class ApiKeyCommands
{
    private const string Actor = "cli";

    public static Command Command()
    {
        var keys = new Command("api-key", "Create, list and revoke API keys.");

        var name = new Option<string>("--name") { Description = "What the key is for, e.g. \"shop backend\".", Required = true };
        var role = new Option<string>("--role") { Description = "service (default) or admin.", DefaultValueFactory = _ => Caller.ServiceRole };
        var create = new Command("create", "Create a key and print its secret (shown only now).") { name, role };
        create.SetAction(async (parse, ct) => await Context.WithServicesAsync(async services =>
        {
            var (key, secret) = await ApiKeys.CreateKeyAsync(services.GetRequiredService<PaymentsDb>(), services.GetRequiredService<TimeProvider>(),
                parse.GetValue(name), parse.GetValue(role), Actor, ct);
            await Context.Output.WriteLineAsync($"id:     {key.Id}\nrole:   {key.Role}\nsecret: {secret}");
            return 0;
        }));

        var list = new Command("list", "List keys (never their secrets).");
        list.SetAction(async (_, ct) => await Context.WithServicesAsync(async services =>
        {
            var all = (await services.GetRequiredService<PaymentsDb>().ApiKeys.AsNoTracking().ToListAsync(ct)).OrderBy(k => k.CreatedAt);
            foreach (var k in all)
                await Context.Output.WriteLineAsync($"{k.Id}  {k.Role,-7}  {(k.RevokedAt is null ? "active " : "revoked")}  {k.CreatedAt:u}  {k.Name}");
            return 0;
        }));

        var id = new Argument<string>("id") { Description = "The key's id (ak_…)." };
        var revoke = new Command("revoke", "Revoke a key; it stops working at once.") { id };
        revoke.SetAction(async (parse, ct) => await Context.WithServicesAsync(async services =>
        {
            await ApiKeys.RevokeKeyAsync(services.GetRequiredService<PaymentsDb>(), services.GetRequiredService<TimeProvider>(), parse.GetValue(id)!, Actor, ct);
            await Context.Output.WriteLineAsync($"Revoked {parse.GetValue(id)}.");
            return 0;
        }));

        keys.Subcommands.Add(create);
        keys.Subcommands.Add(list);
        keys.Subcommands.Add(revoke);
        return keys;
    }
}
