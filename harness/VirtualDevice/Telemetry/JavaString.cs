namespace Harness.VirtualDevice.Telemetry;

/// <summary>Java's String semantics where the wire format depends on them.</summary>
public static class JavaString
{
    /// <summary>
    /// java.lang.String.hashCode(): s[0]*31^(n-1) + ... + s[n-1] over UTF-16 code units, with 32-bit
    /// two's-complement overflow. The Sensors SDK sends it as the "crc" of data_list.
    /// </summary>
    public static int HashCode(string value)
    {
        var hash = 0;
        foreach (var unit in value)
        {
            hash = unchecked((31 * hash) + unit);
        }

        return hash;
    }
}
