using System.Text.Json;
using System.Text.Json.Serialization;
using Payments.Core;
using Payments.Core.Providers;
using Payments.Providers.Common;

namespace Payments.Providers.Dummy;

/// <summary>The dummy's connected account (<c>dmacct_…</c>), kept like its billing objects.</summary>
public sealed record DummyAccount(
    string VendorId, string Email, string Country, string Currency, bool ChargesEnabled, bool PayoutsEnabled, bool DetailsSubmitted,
    string[] RequirementsDue, string? DisabledReason, string? ReturnUrl, string PayoutInterval, string? WeeklyAnchor, int? MonthlyAnchor,
    long MinimumPayoutMinor);

/// <summary>The dummy's <c>account.updated</c> body (its own format, signed like its payment events).</summary>
public sealed record DummyAccountEventBody(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("account")] DummyAccountObject Account);

public sealed record DummyAccountObject(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("vendor_id")] string? VendorId,
    [property: JsonPropertyName("charges_enabled")] bool ChargesEnabled,
    [property: JsonPropertyName("payouts_enabled")] bool PayoutsEnabled,
    [property: JsonPropertyName("details_submitted")] bool DetailsSubmitted,
    [property: JsonPropertyName("requirements_due")] string[]? RequirementsDue,
    [property: JsonPropertyName("disabled_reason")] string? DisabledReason);

/// <summary>What the dummy's onboarding page may end with.</summary>
public enum DummyOnboardingOutcome { Completed, Restricted }

/// <summary>
/// Connect on the dummy, so a newcomer can try the marketplace with no account anywhere: an account is created
/// (idempotent on the caller's key), its onboarding link is a page of ours (<c>/payments/simulate/onboarding/{id}</c>),
/// and finishing there sends a signed <c>account.updated</c> through the same intake a real provider's takes.
/// Destination charges are paid on the dummy's checkout page as any dummy payment.
/// </summary>
public sealed partial class DummyProvider : IConnectedAccountsProvider
{
    public const string AccountKind = "account";
    public const string AccountUpdated = "account.updated";

    public async Task<ConnectedAccount> CreateAccountAsync(ConnectedAccountRequest request, CancellationToken cancellationToken)
    {
        var data = new DummyAccount(request.VendorId, request.Email, request.Country, request.Currency.Code, false, false, false,
            ["details_submitted"], null, null, "weekly", "monday", null, 0);
        var created = await CreateAsync("dmacct", AccountKind, request.IdempotencyKey, data, cancellationToken);
        return AccountOf(created.Id, Read<DummyAccount>(created));
    }

    public async Task<ConnectedAccount?> GetAccountAsync(string accountId, CancellationToken cancellationToken) =>
        await FindAsync<DummyAccount>(accountId, AccountKind, cancellationToken) is { } account ? AccountOf(accountId, account) : null;

    public async Task<Uri> CreateOnboardingLinkAsync(string accountId, Uri refreshUrl, Uri returnUrl, CancellationToken cancellationToken)
    {
        var account = await FindAsync<DummyAccount>(accountId, AccountKind, cancellationToken)
                      ?? throw new ProviderErrorException(ProviderName, $"No such account: '{accountId}'.");
        await Billing.UpdateAsync(accountId, Write(account with { ReturnUrl = returnUrl.AbsoluteUri }), cancellationToken);
        // The dummy's "hosted onboarding" lives on our own host, like its checkout page.
        return new Uri(returnUrl, $"/payments/simulate/onboarding/{accountId}");
    }

    /// <summary>The dummy moves no money: a destination charge is an ordinary dummy checkout (the split is ours to keep).</summary>
    public Task<CheckoutResult> CreateDestinationCheckoutAsync(CheckoutRequest request, DestinationCharge destination, CancellationToken cancellationToken) =>
        CreateCheckoutAsync(request, cancellationToken);

    public async Task UpdatePayoutScheduleAsync(string accountId, PayoutSchedule schedule, Core.Money.Money minimumPayout, CancellationToken cancellationToken)
    {
        var account = await FindAsync<DummyAccount>(accountId, AccountKind, cancellationToken)
                      ?? throw new ProviderErrorException(ProviderName, $"No such account: '{accountId}'.");
        await Billing.UpdateAsync(accountId, Write(account with
        {
            PayoutInterval = schedule.Interval.ToString().ToLowerInvariant(), WeeklyAnchor = schedule.WeeklyAnchor, MonthlyAnchor = schedule.MonthlyAnchor,
            MinimumPayoutMinor = minimumPayout.Minor,
        }), cancellationToken);
    }

    /// <summary>The dummy's account behind its onboarding page, or null.</summary>
    public Task<DummyAccount?> FindAccountAsync(string accountId, CancellationToken cancellationToken) =>
        FindAsync<DummyAccount>(accountId, AccountKind, cancellationToken);

    /// <summary>
    /// Finishes onboarding as the page's visitor chose (completed: charges and payouts enabled; restricted: details
    /// submitted but a requirement still due) and returns the signed <c>account.updated</c> the dummy "sends", and
    /// where the visitor goes next. Null when the account is unknown.
    /// </summary>
    public async Task<SimulatedAccountDelivery?> SimulateOnboardingAsync(string accountId, DummyOnboardingOutcome outcome, CancellationToken cancellationToken)
    {
        if (await FindAsync<DummyAccount>(accountId, AccountKind, cancellationToken) is not { } account) return null;
        account = outcome == DummyOnboardingOutcome.Completed
            ? account with { DetailsSubmitted = true, ChargesEnabled = true, PayoutsEnabled = true, RequirementsDue = [], DisabledReason = null }
            : account with { DetailsSubmitted = true, ChargesEnabled = false, PayoutsEnabled = false, RequirementsDue = ["individual.verification.document"],
                DisabledReason = "requirements.past_due" };
        await Billing.UpdateAsync(accountId, Write(account), cancellationToken);
        var now = clock.GetUtcNow();
        var body = JsonSerializer.SerializeToUtf8Bytes(new DummyAccountEventBody(Ids.New("evt", now), AccountUpdated, now.ToUnixTimeSeconds(),
            new DummyAccountObject(accountId, account.VendorId, account.ChargesEnabled, account.PayoutsEnabled, account.DetailsSubmitted,
                account.RequirementsDue, account.DisabledReason)));
        var header = TimestampedHmacSignature.Header(options.WebhookSecret, now.ToUnixTimeSeconds(), body);
        return new SimulatedAccountDelivery(body, header, account.ReturnUrl is { } back ? new Uri(back) : null);
    }

    /// <summary>A verified <c>account.*</c> body in the dummy's format.</summary>
    private static WebhookResult ParseAccount(ReadOnlySpan<byte> raw, string method)
    {
        DummyAccountEventBody? body;
        try
        {
            body = JsonSerializer.Deserialize<DummyAccountEventBody>(raw);
        }
        catch (JsonException e)
        {
            return WebhookResult.Rejected(method, $"Not a dummy account event: {e.Message}");
        }
        if (body?.Account is not { Id.Length: > 0 } account || string.IsNullOrEmpty(body.Id))
            return WebhookResult.Rejected(method, "A dummy account event needs 'id' and 'account.id'.");
        var news = new ConnectedAccountNews(
            new ConnectedAccount(account.Id, account.ChargesEnabled, account.PayoutsEnabled, account.DetailsSubmitted, account.RequirementsDue ?? [],
                account.DisabledReason),
            DateTimeOffset.FromUnixTimeSeconds(body.Created), account.VendorId);
        return WebhookResult.Accepted(new ProviderEvent(body.Id, body.Type, ProviderEventKind.Informational)
        {
            RecordType = WebhookRecordType.ConnectedAccount, RecordId = account.Id, Account = body.Type == AccountUpdated ? news : null,
        }, method);
    }

    private static ConnectedAccount AccountOf(string id, DummyAccount a) =>
        new(id, a.ChargesEnabled, a.PayoutsEnabled, a.DetailsSubmitted, a.RequirementsDue, a.DisabledReason);
}

/// <summary>An <c>account.updated</c> the dummy would send, ready to post to our intake.</summary>
public sealed record SimulatedAccountDelivery(byte[] Body, string SignatureHeader, Uri? Next);
