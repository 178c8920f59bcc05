using System.Globalization;
using System.Net;

namespace Payments.Client;

/// <summary>
/// The service refused or failed a request. <see cref="Problem"/> is its RFC 9457 document; catch a
/// subclass for the codes a host usually handles, or switch on <see cref="Code"/>.
/// </summary>
public class PaymentsApiException(PaymentsProblem problem)
    : Exception(problem.ToString())
{
    public PaymentsProblem Problem { get; } = problem;

    public HttpStatusCode StatusCode => (HttpStatusCode)Problem.Status;

    public PaymentsErrorCode Code => Problem.Code;

    public string? Detail => Problem.Detail;

    /// <summary>The payment the error is about, when the service names one (a mismatch, a failed checkout).</summary>
    public string? PaymentId => Problem.GetString("payment_id");

    /// <summary>Quote it when asking the operator: the service logged the request under it.</summary>
    public string? TraceId => Problem.TraceId;

    /// <summary>Turns a failed response into the matching exception.</summary>
    public static async Task<PaymentsApiException> FromResponseAsync(HttpResponseMessage response, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        var problem = PaymentsProblem.Parse(body) is { } parsed
            ? new PaymentsProblem
            {
                Type = parsed.Type, Title = parsed.Title, Status = parsed.Status == 0 ? status : parsed.Status, Detail = parsed.Detail,
                Instance = parsed.Instance, CodeName = parsed.CodeName ?? CodeOf(status), TraceId = parsed.TraceId, Extensions = parsed.Extensions,
            }
            : new PaymentsProblem
            {
                // Not a problem document: something in between (a proxy, a load balancer) answered.
                Status = status, CodeName = CodeOf(status), Title = response.ReasonPhrase,
                Detail = body.Length > 500 ? body[..500] : body.Length == 0 ? response.ReasonPhrase : body,
            };
        return Create(problem, RetryAfterHeader(response));
    }

    internal static PaymentsApiException Create(PaymentsProblem problem, TimeSpan? retryAfterHeader) => problem.Code switch
    {
        PaymentsErrorCode.Unauthorized => new PaymentsUnauthorizedException(problem),
        PaymentsErrorCode.Forbidden => new PaymentsForbiddenException(problem),
        PaymentsErrorCode.NotFound => new PaymentsNotFoundException(problem),
        PaymentsErrorCode.AmountMismatch => new PaymentsAmountMismatchException(problem),
        PaymentsErrorCode.Conflict => new PaymentsConflictException(problem),
        PaymentsErrorCode.Validation => new PaymentsValidationException(problem),
        PaymentsErrorCode.IdempotencyKeyReused => new PaymentsIdempotencyKeyReusedException(problem),
        PaymentsErrorCode.RateLimited => new PaymentsRateLimitedException(problem, retryAfterHeader),
        PaymentsErrorCode.ProviderUnavailable => new PaymentsProviderUnavailableException(problem),
        _ => new PaymentsApiException(problem),
    };

    /// <summary>The code the service uses for a status when the body did not say (docs/errors.md).</summary>
    private static string? CodeOf(int status) => status switch
    {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        409 => "conflict",
        413 => "payload_too_large",
        415 => "unsupported_media_type",
        422 => "validation",
        429 => "rate_limited",
        500 => "internal_error",
        _ => null,
    };

    private static TimeSpan? RetryAfterHeader(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow,
        _ => null,
    };
}

/// <summary>401: no credentials, or credentials that do not hold (expired, revoked, wrongly signed).</summary>
public sealed class PaymentsUnauthorizedException(PaymentsProblem problem) : PaymentsApiException(problem);

/// <summary>403: signed in, but not allowed (e.g. an amount of one's own without a service key).</summary>
public sealed class PaymentsForbiddenException(PaymentsProblem problem) : PaymentsApiException(problem);

/// <summary>404: no such payment, endpoint or key (someone else's payment is "not found" too).</summary>
public sealed class PaymentsNotFoundException(PaymentsProblem problem) : PaymentsApiException(problem);

/// <summary>409: the state does not allow this (refunding more than remains, a reference reused with another amount, too few credits).</summary>
public class PaymentsConflictException(PaymentsProblem problem) : PaymentsApiException(problem)
{
    /// <summary>The <c>reason</c> member when the service gives one (credits: <c>insufficient_credits</c>, <c>negative_balance</c>).</summary>
    public string? Reason => Problem.GetString("reason");
}

/// <summary>409 <c>amount_mismatch</c>: the provider reported another amount or currency; the payment is now <c>conflicted</c>.</summary>
public sealed class PaymentsAmountMismatchException(PaymentsProblem problem) : PaymentsConflictException(problem);

/// <summary>422: well-formed, but values the service cannot accept (unknown plan, provider not enabled, a bad field).</summary>
public sealed class PaymentsValidationException(PaymentsProblem problem) : PaymentsApiException(problem);

/// <summary>422: the same <c>Idempotency-Key</c> was used with a different request.</summary>
public sealed class PaymentsIdempotencyKeyReusedException(PaymentsProblem problem) : PaymentsApiException(problem);

/// <summary>429: too many requests; try again after <see cref="RetryAfter"/>.</summary>
public sealed class PaymentsRateLimitedException(PaymentsProblem problem, TimeSpan? retryAfterHeader) : PaymentsApiException(problem)
{
    /// <summary>From the problem's <c>retry_after_seconds</c>, else the <c>Retry-After</c> header; null when neither says.</summary>
    public TimeSpan? RetryAfter { get; } =
        problem.GetInt64("retry_after_seconds") is { } seconds ? TimeSpan.FromSeconds(seconds) : retryAfterHeader;

    public override string Message => RetryAfter is { } wait
        ? string.Create(CultureInfo.InvariantCulture, $"{base.Message} (retry after {wait.TotalSeconds:0} s)")
        : base.Message;
}

/// <summary>
/// 503 <c>provider_unavailable</c>: the provider could not be reached and the outcome is unknown; nothing was
/// retried blindly. Verify the payment (<see cref="PaymentsApiException.PaymentId"/>) or start again.
/// </summary>
public sealed class PaymentsProviderUnavailableException(PaymentsProblem problem) : PaymentsApiException(problem);
