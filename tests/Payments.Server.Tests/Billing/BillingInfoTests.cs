using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payments.Providers.Dummy;
using Payments.Server.Features.Billing;
using Payments.Server.Tests.Fakes.Vies;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Billing;

/// <summary>Billing information, VAT numbers checked with (a fake) VIES, the tax rule, and the customer at Stripe and the dummy.</summary>
public abstract class BillingInfoTests<TApp>(TApp fixture) : IClassFixture<TApp> where TApp : BillingApp
{
    private PaymentsApp App => fixture.App;
    private Fakes.Stripe.FakeStripe Stripe => fixture.Stripe;
    private FakeVies Vies => fixture.Vies;

    private static string NewUser() => "user-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>A German VAT number no other test uses.</summary>
    private static string GermanVat() => "DE" + Random.Shared.NextInt64(100_000_000, 999_999_999);

    private static object Info(string? vat = null, string country = "DE", string name = "ACME GmbH", string? userId = null) => new
    {
        user_id = userId, name, email = "billing@acme.example", vat_id = vat,
        address = new { line1 = "Hauptstraße 1", line2 = (string?)null, city = "Berlin", postal_code = "10115", country },
    };

    private async Task<JsonElement> Put(string user, object body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var client = App.Client().As(Credentials.Jwt(user));
        using var response = await client.PutAsJsonAsync("/api/v1/billing/info", body, Json.Options);
        var json = await response.Body();
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode}: {json}");
        return json;
    }

    private async Task<JsonElement> Get(string user)
    {
        using var client = App.Client().As(Credentials.Jwt(user));
        using var response = await client.GetAsync("/api/v1/billing/info");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Body();
    }

    private System.Text.Json.Nodes.JsonObject StripeCustomer(string customerId) =>
        Stripe.Customers.Single(c => c["metadata"]!["customer_id"]?.GetValue<string>() == customerId);

    private static string Vat(JsonElement view, string field) => view.GetProperty("vat").Str(field);

    [Fact]
    public async Task Billing_information_round_trips_and_the_customer_is_created_at_Stripe_and_the_dummy()
    {
        var user = NewUser();
        var saved = await Put(user, Info());

        var read = await Get(user);
        Assert.Equal(saved.ToString(), read.ToString());
        Assert.Equal((user, "ACME GmbH", "billing@acme.example", "none", "none"),
            (read.Str("user_id"), read.Str("name"), read.Str("email"), Vat(read, "status"), read.Str("tax_exempt")));
        Assert.Equal(("Hauptstraße 1", "Berlin", "10115", "DE"), (read.GetProperty("address").Str("line1"),
            read.GetProperty("address").Str("city"), read.GetProperty("address").Str("postal_code"), read.GetProperty("address").Str("country")));
        Assert.Equal(("eu_standard_rate", "19", "DE"), (read.GetProperty("tax").Str("rule"), read.GetProperty("tax").Str("rate"), read.GetProperty("tax").Str("country")));

        var customerId = read.Str("customer_id");
        var stripe = StripeCustomer(customerId);
        Assert.Equal(("ACME GmbH", "billing@acme.example", "none", user), (stripe["name"]!.GetValue<string>(), stripe["email"]!.GetValue<string>(),
            stripe["tax_exempt"]!.GetValue<string>(), stripe["metadata"]!["user_id"]!.GetValue<string>()));
        Assert.Equal(("Hauptstraße 1", "Berlin", "10115", "DE"), (stripe["address"]!["line1"]!.GetValue<string>(),
            stripe["address"]!["city"]!.GetValue<string>(), stripe["address"]!["postal_code"]!.GetValue<string>(), stripe["address"]!["country"]!.GetValue<string>()));
        Assert.Empty(Stripe.TaxIdsOf(stripe["id"]!.GetValue<string>()));

        await using var db = App.Db();
        var dummyId = await db.Context.ExternalCustomers.AsNoTracking().Where(e => e.Provider == "dummy" && e.CustomerId == customerId)
            .Select(e => e.ExternalId).SingleAsync();
        var dummy = await App.Get<DummyProvider>().FindAsync<DummyCustomer>(dummyId, DummyProvider.CustomerKind, CancellationToken.None);
        Assert.Equal(("ACME GmbH", user), (dummy!.Name, dummy.UserId));
    }

    [Fact]
    public async Task A_valid_VAT_number_of_another_member_state_is_reverse_charged_with_the_consultation_number_kept()
    {
        var user = NewUser();
        var vat = GermanVat();
        var view = await Put(user, Info(vat.ToLowerInvariant().Insert(2, " ")));

        Assert.Equal((vat, "valid", "reverse"), (view.Str("vat_id"), Vat(view, "status"), view.Str("tax_exempt")));
        Assert.StartsWith("WAPI", Vat(view, "consultation_number"));
        Assert.NotEqual(JsonValueKind.Null, view.GetProperty("vat").GetProperty("checked_at").ValueKind);
        Assert.Equal(("reverse_charge", "0", "DE"), (view.GetProperty("tax").Str("rule"), view.GetProperty("tax").Str("rate"), view.GetProperty("tax").Str("country")));

        // We named ourselves, so VIES gave a consultation number: the proof of the check.
        var asked = Vies.Requests.Last(r => $"{r["countryCode"]}{r["vatNumber"]}" == vat);
        Assert.Equal(("DK", "12345678"), (asked["requesterMemberStateCode"]!.GetValue<string>(), asked["requesterNumber"]!.GetValue<string>()));

        var stripe = StripeCustomer(view.Str("customer_id"));
        Assert.Equal("reverse", stripe["tax_exempt"]!.GetValue<string>());
        Assert.Equal([("eu_vat", vat)], Stripe.TaxIdsOf(stripe["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_number_VIES_does_not_know_is_invalid_and_the_customer_pays_VAT()
    {
        var vat = GermanVat();
        Vies.Answer(vat, new ViesBehaviour.NotRegistered());
        var view = await Put(NewUser(), Info(vat));

        Assert.Equal(("invalid", "none", "eu_standard_rate", "19"),
            (Vat(view, "status"), view.Str("tax_exempt"), view.GetProperty("tax").Str("rule"), view.GetProperty("tax").Str("rate")));
        Assert.Empty(Stripe.TaxIdsOf(StripeCustomer(view.Str("customer_id"))["id"]!.GetValue<string>())); // only checked numbers go to Stripe
    }

    [Fact]
    public async Task VIES_unavailable_leaves_the_number_unverified_and_the_worker_asks_again_until_it_is_valid()
    {
        var user = NewUser();
        var vat = GermanVat();
        Vies.Answer(vat, new ViesBehaviour.UserError("MS_UNAVAILABLE")); // HTTP 200, "valid": false, and no verdict at all
        var view = await Put(user, Info(vat));
        Assert.Equal(("unverified", "MS_UNAVAILABLE", "none", "19"),
            (Vat(view, "status"), Vat(view, "error"), view.Str("tax_exempt"), view.GetProperty("tax").Str("rate")));

        Vies.Answer(vat, new ViesBehaviour.Wrapped("MS_MAX_CONCURRENT_REQ", 500));
        await App.Get<BillingWorker>().RunOnceAsync(CancellationToken.None);
        Assert.Equal(("unverified", "MS_MAX_CONCURRENT_REQ"), (Vat(await Get(user), "status"), Vat(await Get(user), "error")));

        Vies.Answer(vat, new ViesBehaviour.Registered());
        await App.Get<BillingWorker>().RunOnceAsync(CancellationToken.None);

        var after = await Get(user);
        Assert.Equal(("valid", "reverse", "reverse_charge"), (Vat(after, "status"), after.Str("tax_exempt"), after.GetProperty("tax").Str("rule")));
        Assert.Equal(JsonValueKind.Null, after.GetProperty("vat").GetProperty("next_check_at").ValueKind);
        Assert.Equal(3, Vies.RequestsFor(vat));
        var stripe = StripeCustomer(after.Str("customer_id")); // the same customer, told about the verified number
        Assert.Equal("reverse", stripe["tax_exempt"]!.GetValue<string>());
        Assert.Equal([("eu_vat", vat)], Stripe.TaxIdsOf(stripe["id"]!.GetValue<string>()));

        await App.Get<BillingWorker>().RunOnceAsync(CancellationToken.None);
        Assert.Equal(3, Vies.RequestsFor(vat)); // valid is final: nothing more to ask
    }

    [Fact]
    public async Task A_Greek_number_is_asked_about_as_EL()
    {
        var number = Random.Shared.NextInt64(100_000_000, 999_999_999).ToString();
        var view = await Put(NewUser(), Info("GR" + number, country: "GR"));
        Assert.Equal(("EL" + number, "valid", "reverse"), (view.Str("vat_id"), Vat(view, "status"), view.Str("tax_exempt")));
        Assert.Equal(1, Vies.RequestsFor("EL" + number));
    }

    [Fact]
    public async Task A_business_in_the_merchants_own_country_pays_its_VAT()
    {
        var view = await Put(NewUser(), Info("DK" + Random.Shared.Next(10_000_000, 99_999_999), country: "DK"));
        Assert.Equal(("valid", "none", "eu_standard_rate", "25"),
            (Vat(view, "status"), view.Str("tax_exempt"), view.GetProperty("tax").Str("rule"), view.GetProperty("tax").Str("rate")));
    }

    [Fact]
    public async Task A_customer_outside_the_EU_pays_no_EU_VAT_and_is_not_marked_exempt()
    {
        var view = await Put(NewUser(), Info(country: "US"));
        Assert.Equal(("none", "outside_eu", "0"), (view.Str("tax_exempt"), view.GetProperty("tax").Str("rule"), view.GetProperty("tax").Str("rate")));
    }

    [Theory]
    [InlineData("DE12345678", "vat_id")]
    [InlineData("GB123456789", "vat_id")]
    [InlineData(null, "address.country")]
    public async Task A_badly_shaped_number_or_address_is_refused_before_VIES_is_asked(string? vat, string field)
    {
        var before = Vies.Requests.Count;
        var problem = await Put(NewUser(), Info(vat, country: vat is null ? "EL" : "DE"), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(field, problem.Str("field"));
        Assert.Equal(before, Vies.Requests.Count);
    }

    [Fact]
    public async Task Changing_the_information_updates_the_same_Stripe_customer_and_a_new_number_is_checked_again()
    {
        var user = NewUser();
        var first = GermanVat();
        var created = await Put(user, Info(first));
        var second = GermanVat();
        var changed = await Put(user, Info(second, name: "ACME AG"));

        Assert.Equal(created.Str("customer_id"), changed.Str("customer_id"));
        Assert.Equal((second, "valid", "reverse"), (changed.Str("vat_id"), Vat(changed, "status"), changed.Str("tax_exempt")));
        Assert.Equal(1, Vies.RequestsFor(second));
        var stripe = StripeCustomer(changed.Str("customer_id"));
        Assert.Equal("ACME AG", stripe["name"]!.GetValue<string>());
        Assert.Equal([("eu_vat", second)], Stripe.TaxIdsOf(stripe["id"]!.GetValue<string>())); // the first number is gone
        Assert.Single(Stripe.Customers, c => c["metadata"]!["user_id"]?.GetValue<string>() == user);

        var posts = Stripe.Requests.Count(r => r.Method == "POST");
        Assert.Equal(changed.ToString(), (await Put(user, Info(second, name: "ACME AG"))).ToString()); // the same again: nothing to do
        Assert.Equal(posts, Stripe.Requests.Count(r => r.Method == "POST"));
        Assert.Equal(1, Vies.RequestsFor(second));
    }

    [Fact]
    public async Task A_number_VIES_called_invalid_is_asked_about_again_when_sent_again()
    {
        var user = NewUser();
        var vat = GermanVat();
        Vies.Answer(vat, new ViesBehaviour.NotRegistered());
        Assert.Equal("invalid", Vat(await Put(user, Info(vat)), "status"));

        Vies.Answer(vat, new ViesBehaviour.Registered()); // registered since
        var view = await Put(user, Info(vat));
        Assert.Equal(("valid", "reverse", 2), (Vat(view, "status"), view.Str("tax_exempt"), Vies.RequestsFor(vat)));
        Assert.Equal("reverse", StripeCustomer(view.Str("customer_id"))["tax_exempt"]!.GetValue<string>());
    }

    [Fact]
    public async Task Keys_name_the_user_and_a_user_cannot_write_someone_elses_information()
    {
        var owner = NewUser();
        var (_, serviceKey) = await Credentials.CreateKey(App);
        using (var service = App.Client().As(serviceKey))
        {
            Assert.Equal(HttpStatusCode.OK, (await service.PutAsJsonAsync("/api/v1/billing/info", Info(userId: owner), Json.Options)).StatusCode);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, (await service.PutAsJsonAsync("/api/v1/billing/info", Info(), Json.Options)).StatusCode);
            Assert.Equal(owner, (await (await service.GetAsync($"/api/v1/billing/info?user_id={owner}")).Body()).Str("user_id"));
        }
        using var intruder = App.Client().As(Credentials.Jwt(NewUser()));
        Assert.Equal(HttpStatusCode.Forbidden, (await intruder.PutAsJsonAsync("/api/v1/billing/info", Info(userId: owner), Json.Options)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await intruder.GetAsync($"/api/v1/billing/info?user_id={owner}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await intruder.GetAsync("/api/v1/billing/info")).StatusCode);
    }
}

public sealed class BillingInfoTests_Sqlite(BillingSqliteApp app) : BillingInfoTests<BillingSqliteApp>(app);

public sealed class BillingInfoTests_Postgres(BillingPostgresApp app) : BillingInfoTests<BillingPostgresApp>(app);
