using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Harness.Leaks;

/// <summary>
/// A Sensors Analytics upload, read by its field names as the Android SDK writes it (any field order):
/// <c>crc=&lt;Java String.hashCode of data_list, signed decimal&gt;&amp;gzip=1&amp;data_list=&lt;base64(gzip(JSON array of events))&gt;</c>.
/// The crc is checked (a mismatch is named in the step's label, so it is on every finding below it), each event is a
/// part labelled with its index and name, so a location reads
/// <c>body &gt; sensors data_list gzip=1 crc ok &gt; base64 &gt; gzip &gt; event[3] search &gt; json $.properties.search_word</c>.
/// <c>gzip=9</c> (and the newer SDKs' transport encryption, 13) mark an encrypted <c>{"ekey","pkv","payloads"}</c>
/// batch: unreadable, which makes the case inconclusive rather than a pass.
/// </summary>
public sealed class SensorsAnalyticsDecoder : IFormFieldsDecoder
{
    public static SensorsAnalyticsDecoder Instance { get; } = new();

    private SensorsAnalyticsDecoder() { }

    public string Name => "sensors";

    public DecoderTriggers Triggers { get; } = new()
    {
        Bytes = [(byte)'=', (byte)'&'],
        FieldNames = ["data_list"],
        ContentTypes = ["x-www-form-urlencoded"],
    };

    private static readonly string[] Consumed = ["crc", "gzip", "data_list"];

    public FormUpload? Open(IReadOnlyList<(string Name, byte[] Value)> fields, ScanLimits limits)
    {
        byte[]? dataList = null, gzip = null, crc = null;
        foreach (var (name, value) in fields)
        {
            switch (name)
            {
                case "data_list": dataList = value; break;
                case "gzip": gzip = value; break;
                case "crc": crc = value; break;
            }
        }
        if (dataList is null || gzip is null) return null;
        var mode = Encoding.ASCII.GetString(gzip).Trim();
        var label = $"sensors data_list gzip={mode} {CrcCheck(crc, dataList)}";
        if (mode is "9" or "13")
        {
            return new FormUpload(label, Consumed, default)
            {
                UnreadableReason = $"Sensors Analytics encrypted upload (gzip={mode}): data_list is an {{ekey, pkv, payloads}} batch, AES under a key only the vendor holds",
                UnreadableSize = dataList.Length,
            };
        }
        if (mode != "1") return null;

        // base64, then gzip; anything else is not this SDK's upload and is left to the generic walk.
        var base64 = new RentedBytes(dataList.Length * 3 / 4 + 3);
        RentedBytes? batch;
        try
        {
            if (System.Buffers.Text.Base64.DecodeFromUtf8(dataList, base64.Array, out _, out var written) != System.Buffers.OperationStatus.Done) return null;
            base64.Length = written;
            if (!CompressionDecoder.IsGzip(base64.Memory.Span)) return null;
            batch = CompressionDecoder.Rented(CompressionDecoder.Format.Gzip, base64.Memory, limits.MaxDecodedBytesPerStep, out _);
        }
        finally
        {
            base64.Return();
        }
        if (batch is not { } content) return null;
        return new FormUpload(label, Consumed, content) { Encodings = [DecodeSteps.Base64, DecodeSteps.Gzip], PartKind = "sensors-event", Splitter = SplitEvents };
    }

    /// <summary>java.lang.String#hashCode over UTF-16 code units, with int overflow: what the SDK sends as crc.</summary>
    public static int JavaStringHashCode(string s)
    {
        var h = 0;
        unchecked
        {
            foreach (var c in s) h = 31 * h + c;
        }
        return h;
    }

    private static int JavaHashCodeOfAscii(ReadOnlySpan<byte> s)
    {
        var h = 0;
        unchecked
        {
            foreach (var c in s) h = 31 * h + c;
        }
        return h;
    }

    private static string CrcCheck(byte[]? crc, byte[] dataList)
    {
        if (crc is null) return "no crc";
        // base64 is ASCII, whose bytes are its UTF-16 code units: no string needed.
        var computed = System.Text.Ascii.IsValid(dataList) ? JavaHashCodeOfAscii(dataList) : JavaStringHashCode(Encoding.UTF8.GetString(dataList));
        var sent = Encoding.ASCII.GetString(crc).Trim();
        return int.TryParse(sent, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value == computed
            ? "crc ok"
            : $"crc mismatch (sent {sent}, data_list hashes to {computed.ToString(CultureInfo.InvariantCulture)})";
    }

    /// <summary>Each event of the batch (a JSON array, or one object) as a part named by its index and event name.</summary>
    private static void SplitEvents(ReadOnlySpan<byte> json, FormUpload upload)
    {
        var found = new List<(string Label, int Start, int Length)>();
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read()) return;
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                found.Add(($"event[0] {ReadEventName(ref reader)}", 0, (int)reader.BytesConsumed));
            }
            else if (reader.TokenType == JsonTokenType.StartArray)
            {
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        reader.Skip();
                        continue;
                    }
                    var start = (int)reader.TokenStartIndex;
                    var name = ReadEventName(ref reader);
                    found.Add(($"event[{found.Count}] {name}", start, (int)reader.BytesConsumed - start));
                }
            }
        }
        catch (JsonException)
        {
            // A batch that is not JSON throughout is walked whole, as any decoded text.
            return;
        }
        foreach (var (label, start, length) in found) upload.AddPart(label, start, length);
    }

    /// <summary>From an event's opening brace to its closing one: its top-level "event" (or else "type").</summary>
    private static string ReadEventName(ref Utf8JsonReader reader)
    {
        string? name = null, type = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var property = reader.ValueTextEquals("event"u8) ? 1 : reader.ValueTextEquals("type"u8) ? 2 : 0;
            reader.Read();
            if (property != 0 && reader.TokenType == JsonTokenType.String)
            {
                if (property == 1) name = reader.GetString();
                else type = reader.GetString();
            }
            else reader.Skip();
        }
        return name ?? type ?? "(unnamed)";
    }

    public IReadOnlyList<DecodedPart> Decode(ReadOnlyMemory<byte> input, string? contentType, ScanLimits limits)
    {
        var fields = FormFieldsDecoder.Decode(input.Span);
        using var upload = Open(fields, limits);
        if (upload is null || upload.UnreadableReason is not null) return [];
        var prefix = string.Join(" > ", upload.Encodings.Select(e => e.Label).Prepend(upload.Label));
        if (upload.PartCount == 0) return [new DecodedPart(prefix, upload.Content.ToArray())];
        return upload.Parts.Select(p => new DecodedPart(prefix + " > " + p.Label, p.Data.ToArray())).ToList();
    }
}
