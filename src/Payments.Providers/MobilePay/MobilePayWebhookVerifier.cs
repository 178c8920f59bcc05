using Payments.Core.Providers;

namespace Payments.Providers.MobilePay;

/// <summary>
/// Proves a delivery came from Vipps (<see cref="MobilePayWebhookSignature"/>) with any secret we know
/// (<see cref="MobilePayWebhookSecrets"/>). The signature covers the method, the path with its query and
/// the host Vipps called, so the request line travels with the body (<see cref="WebhookRequest.Uri"/>).
/// </summary>
public sealed class MobilePayWebhookVerifier(MobilePayWebhookSecrets secrets, MobilePayOptions options)
{
    public const string Method = "hmac-sha256";

    public async Task<WebhookVerification> VerifyAsync(WebhookRequest request, CancellationToken ct)
    {
        var check = Check(request, await secrets.GetAsync(reload: false, ct));
        if (!check.IsValid)
            // Perhaps signed with a secret registered since we last read them (the CLI, another node).
            check = Check(request, await secrets.GetAsync(reload: true, ct));
        return check.IsValid ? WebhookVerification.Accepted(Method) : WebhookVerification.Rejected(Method, check.Failure!);
    }

    private Common.SignatureCheck Check(WebhookRequest request, IReadOnlyList<(string Secret, Uri? Url)> known)
    {
        var targets = new HashSet<MobilePayWebhookSignature.Target>();
        if (request.Uri is { } received)
            targets.Add(new(received.PathAndQuery, request.Header("Host") ?? received.Authority));
        // The URL Vipps was given: what it signs, even when a proxy in front of us rewrote host or path.
        foreach (var (_, url) in known)
            if (url is not null) targets.Add(MobilePayWebhookSignature.Target.Of(url));
        if (targets.Count == 0) return Common.SignatureCheck.Invalid("The request's URL is unknown, and the signature covers it.");
        return MobilePayWebhookSignature.Verify(request.Method, targets, request.Header, request.Body.Span,
            known.Select(k => k.Secret).Distinct().ToList(), request.ReceivedAt, options.WebhookTolerance);
    }
}
