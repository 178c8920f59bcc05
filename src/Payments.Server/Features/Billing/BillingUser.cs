using Payments.Core.Errors;
using Payments.Server.Features.Auth;

namespace Payments.Server.Features.Billing;

/// <summary>Whose billing information a request is about (the rule credits follow too).</summary>
public static class BillingUser
{
    public const int MaxIdLength = 200;

    /// <summary>
    /// A signed-in user: themself (naming their own id is fine, someone else's is 403). Admins and service keys: the
    /// <c>user_id</c> they name; an admin signed in with a JWT defaults to themself, a key must name someone (422).
    /// </summary>
    public static string Resolve(Caller caller, string? requested)
    {
        var named = string.IsNullOrWhiteSpace(requested) ? null : requested.Trim();
        if (named is { Length: > MaxIdLength })
            throw PaymentsException.Validation($"'user_id' is at most {MaxIdLength} characters.");
        if (named is null)
            return caller.Kind == CallerKind.User && caller.Id is { } self
                ? self
                : throw PaymentsException.Validation("Name the user: 'user_id' (an API key belongs to no user).");
        if (caller.SeesAll || (caller.Kind == CallerKind.User && caller.Id == named)) return named;
        throw new PaymentsException(ErrorKind.Forbidden, "Only service keys and admins may act on another user's billing information ('user_id').");
    }
}
