using Payments.Core.Marketplace;
using Payments.Core.Providers;
using Payments.Server.Data.Entities;
using Payments.Server.Data.Sql;
using Payments.Server.Features.Webhooks;

namespace Payments.Server.Features.Vendors;

/// <summary>
/// The marketplace's webhook handler: <c>account.updated</c> (Stripe's Connect endpoint, the dummy's onboarding page)
/// sets a connected account's state. The event may come before our own row knows the account (Stripe sends it while
/// setup is still waiting for the create call's answer), so the event creates the account's row when it is missing;
/// setup then links the vendor to it and the vendor's status is whatever the newest event said. Events older than
/// what the row holds are recorded as stale and change nothing (the upsert's WHERE decides, also between nodes).
/// </summary>
internal sealed class ConnectedAccountWebhooks : IWebhookHandler
{
    public WebhookRecordType RecordType => WebhookRecordType.ConnectedAccount;

    public IWebhookBatchPart Begin(WebhookBatchScope scope) => new Part(scope);

    private sealed class Part(WebhookBatchScope scope) : IWebhookBatchPart
    {
        private List<ConnectedAccountRow> _rows = [];

        public async Task LoadAsync(IReadOnlyList<WebhookDelivery> deliveries, CancellationToken ct)
        {
            var keys = deliveries.Where(d => d.Event.Account is not null).Select(d => (d.Provider, d.Event.Account!.Account.AccountId)).Distinct().ToList();
            _rows = keys.Count == 0 ? [] : await MarketplaceRows.FindAsync(scope.Db, keys, ct);
        }

        public HandledDelivery Plan(WebhookDelivery delivery, DateTimeOffset now)
        {
            var e = delivery.Event;
            if (e.Account is not { } news)
                return new HandledDelivery
                {
                    Outcome = DeliveryOutcome.Informational, RecordId = e.RecordId, Result = new DeliveryResult(DeliveryOutcome.Informational),
                };
            var row = _rows.Find(r => r.Provider == delivery.Provider && r.AccountId == news.Account.AccountId);
            var status = AccountStatuses.Of(news.Account).ToWire();
            if (row?.ReportedAt is { } held && held > news.ReportedAt)
                return new HandledDelivery
                {
                    Outcome = DeliveryOutcome.Stale, RecordId = news.Account.AccountId,
                    Result = new DeliveryResult(DeliveryOutcome.Stale, null, AccountStatuses.Of(Of(row)).ToWire()),
                };

            // Later deliveries of this batch see this one's state.
            var added = row is null;
            var before = row is null ? null : Copy(row);
            row ??= new ConnectedAccountRow { Provider = delivery.Provider, AccountId = news.Account.AccountId };
            Apply(row, news, now);
            if (added) _rows.Add(row);
            var audit = Data.Audit.Entry(now, "vendor.account_updated", $"provider:{delivery.Provider}", null, new
            {
                account_id = news.Account.AccountId, vendor_id = news.VendorId ?? row.VendorId, status, charges_enabled = news.Account.ChargesEnabled,
                payouts_enabled = news.Account.PayoutsEnabled, details_submitted = news.Account.DetailsSubmitted, event_id = e.EventId,
            });
            return new HandledDelivery
            {
                Outcome = DeliveryOutcome.Applied, RecordId = news.Account.AccountId, Audits = [audit],
                Writes = [MarketplaceRows.Reported(delivery.Provider, news, now, scope.Dialect)],
                Undo = () =>
                {
                    if (added) _rows.Remove(row);
                    else Apply(row, before!);
                },
                Result = new DeliveryResult(DeliveryOutcome.Applied, null, status),
            };
        }

        private static ConnectedAccount Of(ConnectedAccountRow r) =>
            new(r.AccountId, r.ChargesEnabled, r.PayoutsEnabled, r.DetailsSubmitted, [], r.DisabledReason);

        private static void Apply(ConnectedAccountRow row, ConnectedAccountNews news, DateTimeOffset now)
        {
            row.VendorId = news.VendorId ?? row.VendorId;
            row.ChargesEnabled = news.Account.ChargesEnabled;
            row.PayoutsEnabled = news.Account.PayoutsEnabled;
            row.DetailsSubmitted = news.Account.DetailsSubmitted;
            row.DisabledReason = news.Account.DisabledReason;
            row.ReportedAt = news.ReportedAt;
            row.UpdatedAt = now;
        }

        private static ConnectedAccountRow Copy(ConnectedAccountRow r) => new()
        {
            Provider = r.Provider, AccountId = r.AccountId, VendorId = r.VendorId, ChargesEnabled = r.ChargesEnabled, PayoutsEnabled = r.PayoutsEnabled,
            DetailsSubmitted = r.DetailsSubmitted, RequirementsDue = r.RequirementsDue, DisabledReason = r.DisabledReason, ReportedAt = r.ReportedAt,
            UpdatedAt = r.UpdatedAt,
        };

        private static void Apply(ConnectedAccountRow row, ConnectedAccountRow from)
        {
            row.VendorId = from.VendorId;
            row.ChargesEnabled = from.ChargesEnabled;
            row.PayoutsEnabled = from.PayoutsEnabled;
            row.DetailsSubmitted = from.DetailsSubmitted;
            row.DisabledReason = from.DisabledReason;
            row.ReportedAt = from.ReportedAt;
            row.UpdatedAt = from.UpdatedAt;
        }
    }
}
