using System.CommandLine;
using Payments.Server.Features.Auth;

namespace Payments.Cli.Commands;

public static class Token
{
    public static Command Command()
    {
        var sub = new Option<string>("--sub") { Description = "The user id (JWT sub).", Required = true };
        var role = new Option<string>("--role") { Description = "user (default) or admin.", DefaultValueFactory = _ => Caller.UserRole };
        var minutes = new Option<int?>("--minutes") { Description = "Lifetime; default JWT_ACCESS_TOKEN_EXPIRE_MINUTES." };
        var command = new Command("token", "Sign a JWT with JWT_SECRET_KEY, as the host application would (for testing and support).") { sub, role, minutes };
        command.SetAction(async (parse, _) => await Context.WithServicesAsync(async services =>
        {
            var issuer = services.GetRequiredService<JwtIssuer>();
            // A missing setting is the operator's configuration (exit code 1), not a mistake in the command.
            if (!issuer.CanIssue) throw new Server.Hosting.StartupException("JWT_SECRET_KEY is not set, so no token can be signed.", null);
            var wantedRole = parse.GetValue(role)!;
            if (wantedRole is not (Caller.UserRole or Caller.AdminRole)) throw Core.Errors.PaymentsException.Validation("--role must be user or admin.");
            // A lifetime of zero or less would sign a token that is already expired.
            if (parse.GetValue(minutes) is < 1) throw Core.Errors.PaymentsException.Validation("--minutes must be at least 1.");
            var lifetime = parse.GetValue(minutes) is { } m ? TimeSpan.FromMinutes(m) : (TimeSpan?)null;
            await Context.Output.WriteLineAsync(issuer.Issue(parse.GetValue(sub)!, wantedRole, lifetime));
            return 0;
        }));
        return command;
    }
}
