using Payments.Core.Errors;
using Payments.Server.Features.Auth;

namespace Payments.Server.Features.Credits;

/// <summary>Whose credits a request is about.</summary>
public static class CreditUser
{
    public const int MaxIdLength = 200;

    /// <summary>
    /// A signed-in user: themself (naming their own id is fine). Admins and service keys: the
    /// <c>user_id</c> they name (admins signed in with a JWT default to themselves). A user naming
    /// someone else is refused, as in create-intent.
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
        throw new PaymentsException(ErrorKind.Forbidden, "Only service keys and admins may act on another user's credits ('user_id').");
    }
}
