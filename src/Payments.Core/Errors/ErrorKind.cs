namespace Payments.Core.Errors;

/// <summary>
/// The closed vocabulary of failures the service reports. Each kind maps to exactly one HTTP
/// status in one place (the server's problem-details mapping); code below never picks status codes.
/// </summary>
public enum ErrorKind
{
    /// <summary>Request is malformed (unreadable JSON, wrong content type). 400.</summary>
    BadRequest,
    /// <summary>Webhook signature missing, wrong or outside its tolerance window. 400.</summary>
    SignatureInvalid,
    /// <summary>A webhook that was verified (or needs none) but is not an event we can record: not the provider's
    /// shape, an id or type we refuse (<see cref="Providers.WebhookEventRules"/>), an unknown currency. 400.</summary>
    MalformedEvent,
    /// <summary>No credentials, or credentials that do not hold. 401.</summary>
    Unauthorized,
    /// <summary>Authenticated but not allowed. 403.</summary>
    Forbidden,
    /// <summary>No such payment (or not yours to see). 404.</summary>
    NotFound,
    /// <summary>The state does not allow this (refund of an unpaid payment, …). 409.</summary>
    Conflict,
    /// <summary>Provider reported an amount or currency that differs from ours. 409.</summary>
    AmountMismatch,
    /// <summary>A marketplace vendor whose connected account cannot take payments yet (409 <c>vendor_not_ready</c>).</summary>
    VendorNotReady,
    /// <summary>Well-formed request with invalid values (unknown plan, provider not enabled). 422.</summary>
    Validation,
    /// <summary>Same Idempotency-Key, different request. 422.</summary>
    IdempotencyKeyReused,
    /// <summary>Too many requests. 429.</summary>
    RateLimited,
    /// <summary>The provider answered with an error we cannot turn into a result. 502.</summary>
    ProviderError,
    /// <summary>The provider could not be reached or timed out; outcome unknown. 503.</summary>
    ProviderUnavailable,
    /// <summary>A local dependency (PDF engine) is not installed. 503.</summary>
    DependencyMissing,
}
