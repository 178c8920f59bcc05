using Microsoft.EntityFrameworkCore;
using Payments.Core.Billing;
using Payments.Core.Providers;
using Payments.Providers;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Data.Sql;

namespace Payments.Server.Features.Billing;

/// <summary>
/// Tells billing providers about a customer: created the first time (its id kept in <c>external_customers</c>),
/// updated when our row changed since the provider last heard (<c>synced_at</c> before <c>updated_at</c>). Only a
/// VAT number VIES called valid is registered with a provider, so a provider never prints an unchecked number.
/// The caller holds the customer's lock.
/// </summary>
public sealed class CustomerSync(PaymentsDb db, ProviderRegistry providers, BillingOptions options, TimeProvider clock, ILogger<CustomerSync> log)
{
    /// <summary>Every enabled billing provider; failures are logged and the push is scheduled again with backoff.</summary>
    public async Task PushAsync(BillingCustomerRow row, CancellationToken ct)
    {
        var failed = new List<string>();
        foreach (var provider in providers.EnabledWith<IBillingProvider>())
        {
            try
            {
                await EnsureAsync(provider, row, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                log.LogWarning(e, "Could not tell {Provider} about customer {CustomerId}", provider.Name, row.Id);
                failed.Add(provider.Name);
            }
        }
        var now = BillingCustomers.Microseconds(clock.GetUtcNow());
        if (failed.Count == 0)
        {
            (row.SyncDueAt, row.SyncFailures) = (null, 0);
        }
        else
        {
            row.SyncFailures++;
            row.SyncDueAt = now + ViesRetry.After(row.SyncFailures, options.WorkerInterval, options.ViesRetryMax);
        }
        await db.SaveWriteAsync(ct);
    }

    /// <summary>
    /// The provider's id for this customer, after making sure it knows the stored version (what subscriptions call
    /// before they bill a customer at a provider).
    /// </summary>
    public async Task<string> EnsureAsync(IBillingProvider provider, BillingCustomerRow row, CancellationToken ct)
    {
        var known = await db.ExternalCustomers.FirstOrDefaultAsync(e => e.Provider == provider.Name && e.CustomerId == row.Id, ct);
        if (known is not null && known.SyncedAt >= row.UpdatedAt) return known.ExternalId;

        var exemption = BillingCustomers.ExemptionOf(row);
        var valid = BillingCustomers.StatusOf(row) == VatStatus.Valid ? row.VatId : null;
        // Keys name the version (updated_at): a retry of the same version is replayed by the provider, a new version is a new request.
        var key = $"billing-customer-{row.Id}-{(known is null ? "create" : "update")}-{row.UpdatedAt.UtcTicks}";
        var request = new BillingCustomer(row.Id, row.UserId, known?.ExternalId, row.Name, row.Email,
            new PostalAddress(row.AddressLine1, row.AddressLine2, row.AddressCity, row.AddressPostalCode, row.AddressCountry),
            valid, exemption, key);
        var providerId = await provider.UpsertCustomerAsync(request, ct);
        if (known is not null)
        {
            known.SyncedAt = clock.GetUtcNow();
            await db.SaveWriteAsync(ct);
            return known.ExternalId;
        }
        return await ExternalIdRows.KeepAsync(db, ExternalTable.Customers, provider.Name, providerId, row.Id, clock.GetUtcNow(), ct);
    }
}
