using Payments.Core.Errors;
using Payments.Core.Money;

namespace Payments.Server.Features.Payments;

/// <summary>A thing people buy, priced by us. Clients name a plan; they never send its price.</summary>
public sealed record Plan(string Key, string Name, Money Price);

/// <summary>
/// Plans from configuration (section <c>Plans</c>; defaults are seed 000's basic €19.00, pro €29.00,
/// expert €149.00). Prices are written "29.00 EUR" and parsed exactly in the currency's own
/// decimals, so a typo like "29.001 EUR" stops start-up instead of charging a rounded amount.
/// </summary>
public sealed class PlanCatalog
{
    private readonly Dictionary<string, Plan> _plans;

    public PlanCatalog(IConfiguration configuration)
    {
        _plans = new Dictionary<string, Plan>(StringComparer.OrdinalIgnoreCase);
        foreach (var section in configuration.GetSection("Plans").GetChildren())
        {
            var price = section["Price"];
            if (!Money.TryParse(price, out var money) || !money.IsPositive)
                throw new InvalidOperationException(
                    $"Plans:{section.Key}:Price='{price}' is not a positive amount like '19.00 EUR' in the currency's own decimals.");
            _plans[section.Key] = new Plan(section.Key, section["Name"] ?? section.Key, money);
        }
        if (_plans.Count == 0)
            throw new InvalidOperationException("No plans are configured (section Plans in appsettings.json).");
    }

    public IEnumerable<Plan> All => _plans.Values.OrderBy(p => p.Price.Minor);

    public Plan Get(string? key) =>
        key is not null && _plans.TryGetValue(key, out var plan)
            ? plan
            : throw PaymentsException.Validation(
                    key is null ? "Name a plan: 'plan' is required." : $"Unknown plan '{key}'. Plans: {string.Join(", ", _plans.Keys)}.")
                .With("plans", _plans.Keys.ToArray());
}

public static class ListPlans
{
    public sealed record PlanView(string Key, string Name, long Amount, string Currency, string Display);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/payment/plans", (PlanCatalog plans) =>
                plans.All.Select(p => new PlanView(p.Key, p.Name, p.Price.Minor, p.Price.Currency.Code, p.Price.ToString())))
            .WithTags("Payments")
            .WithSummary("Plans and their server-side prices (amount in minor units).");
}
