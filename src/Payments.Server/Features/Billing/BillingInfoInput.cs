using System.Net.Mail;
using Payments.Core.Billing;
using Payments.Core.Errors;
using Payments.Core.Providers;

namespace Payments.Server.Features.Billing;

/// <summary>An address as clients send it.</summary>
public sealed record AddressRequest(string? Line1 = null, string? Line2 = null, string? City = null, string? PostalCode = null, string? Country = null);

/// <summary>
/// <c>PUT /api/v1/billing/info</c>: <c>{name, email, address:{line1, line2, city, postal_code, country}, vat_id}</c>;
/// service and admin keys add <c>user_id</c>.
/// </summary>
public sealed record BillingInfoRequest(string? Name, string? Email, AddressRequest? Address, string? VatId = null, string? UserId = null);

/// <summary>Billing information, checked: trimmed, the country an ISO code, the VAT number canonical and of an EU shape.</summary>
public sealed record BillingInfoInput(string Name, string Email, PostalAddress Address, VatNumber? Vat)
{
    /// <summary>Checks a request; the first problem is a 422 naming the field.</summary>
    public static BillingInfoInput From(BillingInfoRequest request)
    {
        var name = Text(request.Name, "name", 200, required: true)!;
        var email = Text(request.Email, "email", 254, required: true)!;
        if (!MailAddress.TryCreate(email, out var parsed) || parsed.Address != email || !parsed.Host.Contains('.'))
            throw Invalid("email", $"'{email}' is not an email address.");
        var address = request.Address ?? throw Invalid("address", "'address' is required (line1, city, country; line2 and postal_code optional).");
        var country = Text(address.Country, "address.country", 2, required: true)!.ToUpperInvariant();
        if (!Countries.IsAssigned(country))
            throw Invalid("address.country", $"'{address.Country}' is not an ISO 3166-1 country code (e.g. DE; Greece is GR).");
        var postal = new PostalAddress(
            Text(address.Line1, "address.line1", 200, required: true)!,
            Text(address.Line2, "address.line2", 200, required: false),
            Text(address.City, "address.city", 100, required: true)!,
            Text(address.PostalCode, "address.postal_code", 20, required: false),
            country);

        VatNumber? vat = null;
        if (!string.IsNullOrWhiteSpace(request.VatId))
        {
            if (request.VatId.Length > 40) throw Invalid("vat_id", "'vat_id' is at most 40 characters.");
            if (!VatNumber.TryParse(request.VatId, country, out vat, out var problem)) throw Invalid("vat_id", problem!);
        }
        return new BillingInfoInput(name, email, postal, vat);
    }

    private static string? Text(string? value, string field, int max, bool required)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
            return required ? throw Invalid(field, $"'{field}' is required.") : null;
        if (trimmed.Length > max) throw Invalid(field, $"'{field}' is at most {max} characters.");
        if (trimmed.Any(char.IsControl)) throw Invalid(field, $"'{field}' holds control characters.");
        return trimmed;
    }

    private static PaymentsException Invalid(string field, string detail) => PaymentsException.Validation(detail).With("field", field);
}
