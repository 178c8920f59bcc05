namespace Payments.Core.Billing;

/// <summary>What a VIES check says about the number, as far as it says anything.</summary>
public enum ViesVerdict { Valid, Invalid, Unavailable }

/// <summary>
/// One VIES answer in our terms. <see cref="ConsultationNumber"/> is VIES's <c>requestIdentifier</c>, given when the
/// request named our own VAT number (<c>requesterMemberStateCode</c>/<c>requesterNumber</c>): the proof, for a tax
/// audit, that this number was checked on that day. <see cref="Error"/> is the code VIES gave for not answering.
/// </summary>
public sealed record ViesAnswer(ViesVerdict Verdict, string? ConsultationNumber, string? Error)
{
    public static ViesAnswer Unavailable(string error) => new(ViesVerdict.Unavailable, null, error);

    /// <summary>
    /// Reads VIES's REST answer (<c>POST …/check-vat-number</c>), whatever the HTTP status. VIES reports trouble in
    /// two shapes, both often with HTTP 200: <c>{"actionSucceed":false,"errorWrappers":[{"error":"MS_UNAVAILABLE"}]}</c>,
    /// and a check answer with <c>"valid":false</c> beside <c>"userError":"MS_MAX_CONCURRENT_REQ"</c>. Any error code
    /// (<c>SERVICE_UNAVAILABLE</c>, <c>MS_UNAVAILABLE</c>, <c>TIMEOUT</c>, <c>GLOBAL_MAX_CONCURRENT_REQ</c>,
    /// <c>MS_MAX_CONCURRENT_REQ</c> and their <c>_TIME</c> variants, <c>INVALID_REQUESTER_INFO</c>, <c>IP_BLOCKED</c>,
    /// <c>VAT_BLOCKED</c>, and codes we have never seen) makes the answer <see cref="ViesVerdict.Unavailable"/>: it is
    /// about VIES or the request, not the number, and calling a real company's number invalid because a member state
    /// was down is the mistake to avoid. Only <c>"valid":false</c> with no error (or <c>userError</c> "INVALID") is invalid.
    /// </summary>
    /// <param name="valid">The <c>valid</c> member, or null when absent.</param>
    /// <param name="userError">The <c>userError</c> member ("VALID", "INVALID" or an error code), or null.</param>
    /// <param name="errors">The codes of <c>errorWrappers</c>, if any.</param>
    /// <param name="requestIdentifier">The consultation number, if any.</param>
    public static ViesAnswer Read(bool? valid, string? userError, IReadOnlyList<string> errors, string? requestIdentifier)
    {
        var consultation = string.IsNullOrWhiteSpace(requestIdentifier) ? null : requestIdentifier.Trim();
        if (errors.FirstOrDefault(e => !string.IsNullOrWhiteSpace(e)) is { } wrapped) return Unavailable(wrapped.Trim());
        if (userError is { Length: > 0 } code && code is not ("VALID" or "INVALID")) return Unavailable(code);
        return valid switch
        {
            true when userError is not "INVALID" => new ViesAnswer(ViesVerdict.Valid, consultation, null),
            false when userError is not "VALID" => new ViesAnswer(ViesVerdict.Invalid, consultation, null),
            _ => Unavailable("NO_VERDICT"), // no "valid", or "valid" contradicting "userError"
        };
    }
}

/// <summary>When to ask VIES again after it could not answer.</summary>
public static class ViesRetry
{
    /// <summary>
    /// <paramref name="initial"/> after the first failure, doubling with each further one, never more than
    /// <paramref name="max"/>: member states are down for minutes (a busy hour) to hours (maintenance), and
    /// asking a busy one more often is what keeps it busy. The number stays unverified meanwhile.
    /// </summary>
    public static TimeSpan After(int failures, TimeSpan initial, TimeSpan max)
    {
        if (failures < 1) return TimeSpan.Zero;
        var doublings = Math.Min(failures - 1, 40);
        // Compared before multiplying, so a long run of failures cannot overflow.
        return initial.Ticks > max.Ticks >> doublings ? max : TimeSpan.FromTicks(initial.Ticks << doublings);
    }
}
