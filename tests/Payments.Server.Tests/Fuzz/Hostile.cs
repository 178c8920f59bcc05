using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Payments.Server.Tests.Fuzz;

/// <summary>
/// Hostile JSON and values as FsCheck generators, written as raw JSON text so they can hold what a
/// serializer would never write: duplicated keys, numbers beyond Int64 or double, lone surrogates,
/// escaped NULs, nesting thousands deep. Every value in <see cref="Value"/> is wrong for any field an
/// API body or event may have (a string where a number belongs, an id nobody could issue, a number
/// no amount can be), so no generated body is a valid request by accident.
/// </summary>
public static class Hostile
{
    /// <summary>
    /// JSON numbers (and look-alikes) no amount may be: fractions, exponents, negatives, beyond Int64, not
    /// numbers. (Our API reads "1900" as 1900, as ASP.NET Core's web defaults do, so plain digit strings are
    /// not hostile there; the providers' events never quote amounts, so <see cref="EventAmounts"/> has them.)
    /// </summary>
    public static readonly string[] Amounts =
    [
        "\"19.00\"", "19.0", "1900.5", "1e20", "1E400", "-1900", "-1", "9223372036854775807", "9223372036854775808",
        "-9223372036854775809", "18446744073709551616", "0.1", "-0.0", "1e-7", "true", "{}", "[]", "\"\"", "\"1e20\"", "\"NaN\"", "\"-5\"",
    ];

    /// <summary>
    /// Amounts in a provider's integer-amount event that must make it malformed: <see cref="Amounts"/>, quoted digits,
    /// null (Int64.MaxValue is left out: well-formed, merely not ours, which is the conflict rule's business).
    /// </summary>
    public static readonly string[] EventAmounts = [.. Amounts.Where(a => a != "9223372036854775807"), "\"1900\"", "\"500\"", "null"];

    /// <summary>Texts no field accepts: control characters, broken UTF-16, lengths beyond any limit.</summary>
    public static readonly string[] Texts =
    [
        "\"\\u0000\"", "\"a\\u0000b\"", "\"\\ud800\"", "\"x\\udc00\"", "\"\\u0007\\u001b[31m\"", "\"\\r\\n\"",
        Quote(new string('x', 300)), Quote(new string('é', 70_000)), Quote("\\u0000" + new string('a', 10_000)),
    ];

    /// <summary>Structures where a scalar belongs.</summary>
    public static readonly string[] Shapes = ["{}", "[]", "[[]]", "{\"$ne\":null}", "[1,\"a\",null]", "{\"a\":{\"b\":{\"c\":[]}}}"];

    public static Gen<string> Value =>
        Gen.OneOf(Gen.Elements(Amounts), Gen.Elements(Texts), Gen.Elements(Shapes), Nested(), Gen.Elements("true", "false"));

    /// <summary>Field names the API and the providers' events use, and some nobody does.</summary>
    public static readonly string[] FieldNames =
    [
        "plan", "provider", "mode", "user_id", "credit_package", "credits", "payment_id", "amount", "reason", "reference", "memo",
        "referred_by_code", "name", "role", "url", "events", "description", "currency", "id", "type", "status", "outcome",
        "__proto__", "constructor", "", "\\u0000", "PAYMENT_ID", "Amount", "payment_id\\u0000",
    ];

    /// <summary>An object whose every member is hostile (names may repeat: the last one must not rescue it).</summary>
    public static Gen<string> Object =>
        from count in Gen.Choose(1, 6)
        from names in Gen.Elements(FieldNames).ListOf(count)
        from values in Value.ListOf(count)
        select "{" + string.Join(",", names.Zip(values, (n, v) => $"\"{n}\":{v}")) + "}";

    /// <summary>Arrays and objects nested <c>depth</c> deep, from the parser's limit (64) to far past it.</summary>
    public static Gen<string> Nested() =>
        from depth in Gen.Elements(63, 64, 65, 200, 5_000, 100_000)
        from arrays in Gen.Elements(true, false)
        select arrays
            ? new string('[', depth) + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    /// <summary>Whole request bodies: hostile objects, other JSON values, deep and huge documents, and bytes that are not JSON at all.</summary>
    public static Gen<byte[]> Body =>
        Gen.Frequency(
            (6, Object.Select(Utf8)),
            (2, Gen.Elements("null", "[]", "\"plan\"", "42", "true", "{}", "{\"plan\":null}", "[{\"plan\":\"basic\"}]").Select(Utf8)),
            (1, Nested().Select(Utf8)),
            (2, NotJson),
            (1, Object.SelectMany(o => Corrupt(Utf8(o)))),
            (1, Huge.Select(Utf8)));

    /// <summary>About a megabyte: the webhook limit is 1 MB exactly, so both sides of it.</summary>
    public static Gen<string> Huge =>
        Gen.Elements(1024 * 1024 - 64, 1024 * 1024 + 1, 2 * 1024 * 1024).Select(size => "{\"pad\":\"" + new string('x', size) + "\"}");

    /// <summary>Bytes that are no JSON document: empty, truncated, binary, invalid UTF-8, UTF-16, a BOM, trailing garbage.</summary>
    public static Gen<byte[]> NotJson =>
        Gen.OneOf(
            Gen.Elements<byte[]>([], [0], [0xFF, 0xFE, 0x7B, 0x00], [0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}'], [0xC0, 0x80], [0xED, 0xA0, 0x80],
                Utf8("{"), Utf8("{\"plan\":"), Utf8("{\"plan\":\"basic\"}}"), Utf8("{'plan':'basic'}"), Utf8("plan=basic"),
                Encoding.Unicode.GetBytes("{\"plan\":\"basic\"}"), Utf8("{\"a\":1}\u0000{\"b\":2}"), Utf8("NaN"), Utf8("-")),
            Gen.Choose(1, 512).SelectMany(n => Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf(n)));

    /// <summary>Breaks a well-formed body: cut it, append junk, put a NUL or an invalid UTF-8 byte inside, or a BOM before it.</summary>
    public static Gen<byte[]> Corrupt(byte[] body) =>
        from how in Gen.Choose(0, 5)
        from at in Gen.Choose(0, Math.Max(0, body.Length - 1))
        select how switch
        {
            0 => body[..at],
            1 => [.. body, .. Utf8("}garbage")],
            2 => [.. body[..at], 0, .. body[at..]],
            3 => [.. body[..at], 0xFF, .. body[at..]],
            4 => [0xEF, 0xBB, 0xBF, .. body],
            _ => [.. body, .. body],
        };

    /// <summary>Path segments no route knows: unknown ids, traversal, encoded NULs and slashes, very long, non-ASCII.</summary>
    public static readonly string[] Segments =
    [
        "x", "pay_00000000000000000000000000", "dm_unknown", "R-0000-0000", "%00", "%2e%2e", "..", "%2F", "%25", "%C0%AF", "%F0%9F%92%A9",
        "%E2%80%AE", new string('a', 4000), "null", "-1", "0", "9223372036854775808", "PAYPAL", "Stripe", "%20", "a%00b", "%ED%A0%80",
    ];

    /// <summary>Query parameters the pages and lists read, with hostile values.</summary>
    public static Gen<string> Query =>
        from count in Gen.Choose(0, 5)
        from pairs in (from name in Gen.Elements("page", "page_size", "status", "provider", "from", "to", "user_id", "kind", "payment_id", "action",
                           "return_url", "token", "days", "outcome", "id", "page", "x")
                       from value in Gen.Elements("-1", "0", "1e20", "9223372036854775808", "%00", "%ED%A0%80", "not-a-date", "9999-99-99",
                           "2025-13-45T99:99:99Z", "%FF", new string('9', 400), "https://evil.example/", "//evil.example", "javascript:alert(1)",
                           "%0d%0aSet-Cookie:x=1", "[]", "succeeded,failed", "")
                       select $"{name}={value}").ListOf(count)
        select pairs.Count == 0 ? "" : "?" + string.Join("&", pairs);

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static string Quote(string text) => "\"" + text + "\"";

    /// <summary>For failure messages: the start of a body, printable.</summary>
    public static string Show(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 1200)));
        var printable = new string(text.Select(c => char.IsControl(c) ? '·' : c).ToArray());
        return $"{body.Length} bytes: {printable}{(body.Length > 1200 ? "…" : "")}";
    }
}
