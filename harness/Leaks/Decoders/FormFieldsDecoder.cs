namespace Harness.Leaks;

/// <summary>application/x-www-form-urlencoded (and query strings): name=value pairs joined by '&amp;'.</summary>
public static class FormFieldsDecoder
{
    /// <summary>Cheap shape test for bodies without a content type: k=v(&amp;k=v)* with no whitespace or line breaks.</summary>
    public static bool LooksLikeForm(ReadOnlySpan<byte> s)
    {
        if (s.Length < 3 || s.Length > 64 * 1024 * 1024) return false;
        var eq = s.IndexOf((byte)'=');
        if (eq <= 0 || eq > 128) return false;
        // Base64 padding ("…Pdw==") is not a field.
        if (eq >= s.Length - 2 && s.IndexOf((byte)'&') < 0) return false;
        if (s[0] is (byte)'{' or (byte)'[' or (byte)'<') return false;
        // A field name is URL-encoded ASCII: binary that happens to hold a '=' is no form.
        return s.IndexOfAny((byte)' ', (byte)'\n', (byte)'\r') < 0 && s[..eq].IndexOfAny((byte)'"', (byte)':', (byte)'/') < 0
               && s[..eq].IndexOfAnyExceptInRange((byte)0x21, (byte)0x7e) < 0;
    }

    public static List<(string Name, byte[] Value)> Decode(ReadOnlySpan<byte> s)
    {
        var fields = new List<(string, byte[])>();
        while (s.Length > 0)
        {
            var amp = s.IndexOf((byte)'&');
            var pair = amp < 0 ? s : s[..amp];
            s = amp < 0 ? default : s[(amp + 1)..];
            if (pair.IsEmpty) continue;
            var eq = pair.IndexOf((byte)'=');
            var name = eq < 0 ? pair : pair[..eq];
            var value = eq < 0 ? default : pair[(eq + 1)..];
            fields.Add((System.Text.Encoding.UTF8.GetString(PercentDecoder.Decode(name, plusAsSpace: true)), PercentDecoder.Decode(value, plusAsSpace: true)));
        }
        return fields;
    }
}
