using Payments.Core.Errors;

namespace Payments.Server.Features.Auth;

/// <summary>Whose data a request about one user's account is about (credits, billing information).</summary>
public static class ActingUser
{
    public const int MaxIdLength = 200;

    /// <summary>
    /// A signed-in user: themself (naming their own id is fine, someone else's is 403, as in create-intent).
    /// Admins and service keys: the <c>user_id</c> they name; an admin signed in with a JWT defaults to
    /// themself, a key must name someone (422).
    /// </summary>
    /// <param name="what">What is acted on, for the 403's message: "credits", "billing information".</param>
    public static string Resolve(Caller caller, string? requested, string what)
    {
        var named = string.IsNullOrWhiteSpace(requested) ? null : requested.Trim();
        if (named is { Length: > MaxIdLength })
            throw PaymentsException.Validation($"'user_id' is at most {MaxIdLength} characters.");
        if (named is null)
            return caller.Kind == CallerKind.User && caller.Id is { } self
                ? self
                : throw PaymentsException.Validation("Name the user: 'user_id' (an API key belongs to no user).");
        if (caller.SeesAll || (caller.Kind == CallerKind.User && caller.Id == named)) return named;
        throw new PaymentsException(ErrorKind.Forbidden, $"Only service keys and admins may act on another user's {what} ('user_id').");
    }
}
