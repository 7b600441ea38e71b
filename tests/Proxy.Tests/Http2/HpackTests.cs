using System.Text;
using Harness.Flows;
using Harness.Proxy.Http2;

namespace Harness.Proxy.Tests.Http2;

/// <summary>HPACK against the examples of RFC 7541 Appendix C, byte for byte, and the table rules around them.</summary>
public sealed class HpackTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "").Replace("\n", ""));

    private static string Fields(IEnumerable<HeaderField> fields) => string.Join("\n", fields.Select(f => $"{f.Name}: {f.Value}"));

    [TestCase(10, 5, "0a")]      // C.1.1
    [TestCase(1337, 5, "1f9a0a")] // C.1.2
    [TestCase(42, 8, "2a")]      // C.1.3
    public void Integer_EncodesAndDecodesTheExamples(int value, int prefix, string hex)
    {
        var output = new List<byte>();
        HpackInteger.Encode(value, prefix, 0, output);
        Assert.That(Convert.ToHexString(output.ToArray()).ToLowerInvariant(), Is.EqualTo(hex));
        var position = 0;
        Assert.That(HpackInteger.Decode(Hex(hex), ref position, prefix), Is.EqualTo(value));
        Assert.That(position, Is.EqualTo(hex.Length / 2));
    }

    [Test]
    public void Integer_OverflowAndTruncationAreCompressionErrors()
    {
        var position = 0;
        Assert.Throws<HpackException>(() => HpackInteger.Decode(Hex("1fffffffff7f"), ref position, 5));
        position = 0;
        Assert.Throws<HpackException>(() => HpackInteger.Decode(Hex("1f9a"), ref position, 5));
    }

    [Test]
    public void C2_SingleRepresentations()
    {
        // C.2.1 literal with indexing, C.2.2 without, C.2.3 never indexed, C.2.4 indexed.
        var decoder = new HpackDecoder();
        Assert.That(Fields(decoder.Decode(Hex("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"))), Is.EqualTo("custom-key: custom-header"));
        Assert.That(decoder.Table.Size, Is.EqualTo(55));
        decoder = new HpackDecoder();
        Assert.That(Fields(decoder.Decode(Hex("040c 2f73 616d 706c 652f 7061 7468"))), Is.EqualTo(":path: /sample/path"));
        Assert.That(decoder.Table.Count, Is.Zero);
        Assert.That(Fields(decoder.Decode(Hex("1008 7061 7373 776f 7264 0673 6563 7265 74"))), Is.EqualTo("password: secret"));
        Assert.That(decoder.Table.Count, Is.Zero);
        Assert.That(Fields(decoder.Decode(Hex("82"))), Is.EqualTo(":method: GET"));
    }

    private static readonly string[] RequestFields =
    [
        ":method: GET\n:scheme: http\n:path: /\n:authority: www.example.com",
        ":method: GET\n:scheme: http\n:path: /\n:authority: www.example.com\ncache-control: no-cache",
        ":method: GET\n:scheme: https\n:path: /index.html\n:authority: www.example.com\ncustom-key: custom-value",
    ];

    private static readonly int[] RequestTableSizes = [57, 110, 164];

    [Test]
    public void C3_RequestsWithoutHuffman_Decode()
    {
        var decoder = new HpackDecoder();
        string[] blocks =
        [
            "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
            "8286 84be 5808 6e6f 2d63 6163 6865",
            "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65",
        ];
        for (var i = 0; i < 3; i++)
        {
            Assert.That(Fields(decoder.Decode(Hex(blocks[i]))), Is.EqualTo(RequestFields[i]), $"C.3.{i + 1}");
            Assert.That(decoder.Table.Size, Is.EqualTo(RequestTableSizes[i]), $"C.3.{i + 1} table size");
        }
        Assert.That(decoder.Table[1], Is.EqualTo(new HeaderField("custom-key", "custom-value")));
        Assert.That(decoder.Table[3], Is.EqualTo(new HeaderField(":authority", "www.example.com")));
    }

    private static readonly string[] C4Blocks =
    [
        "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff",
        "8286 84be 5886 a8eb 1064 9cbf",
        "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf",
    ];

    [Test]
    public void C4_RequestsWithHuffman_DecodeAndOurEncoderWritesTheSameBytes()
    {
        var decoder = new HpackDecoder();
        var encoder = new HpackEncoder();
        for (var i = 0; i < 3; i++)
        {
            Assert.That(Fields(decoder.Decode(Hex(C4Blocks[i]))), Is.EqualTo(RequestFields[i]), $"C.4.{i + 1}");
            Assert.That(decoder.Table.Size, Is.EqualTo(RequestTableSizes[i]));
            var fields = RequestFields[i].Split('\n').Select(l => l.Split(": ", 2)).Select(p => new HeaderField(p[0], p[1]));
            Assert.That(encoder.Encode(fields), Is.EqualTo(Hex(C4Blocks[i])), $"C.4.{i + 1} encoded");
            Assert.That(encoder.Table.Size, Is.EqualTo(RequestTableSizes[i]));
        }
    }

    private static readonly string[] ResponseFields =
    [
        ":status: 302\ncache-control: private\ndate: Mon, 21 Oct 2013 20:13:21 GMT\nlocation: https://www.example.com",
        ":status: 307\ncache-control: private\ndate: Mon, 21 Oct 2013 20:13:21 GMT\nlocation: https://www.example.com",
        ":status: 200\ncache-control: private\ndate: Mon, 21 Oct 2013 20:13:22 GMT\nlocation: https://www.example.com\ncontent-encoding: gzip\n" +
        "set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1",
    ];

    // After each response: the table's entries, newest first, and its size (the 256-octet table evicts as it goes).
    private static readonly string[][] ResponseTables =
    [
        ["location: https://www.example.com", "date: Mon, 21 Oct 2013 20:13:21 GMT", "cache-control: private", ":status: 302"],
        [":status: 307", "location: https://www.example.com", "date: Mon, 21 Oct 2013 20:13:21 GMT", "cache-control: private"],
        ["set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1", "content-encoding: gzip", "date: Mon, 21 Oct 2013 20:13:22 GMT"],
    ];

    private static readonly int[] ResponseTableSizes = [222, 222, 215];

    [Test]
    public void C5_ResponsesWithoutHuffman_EvictFromA256OctetTable()
    {
        string[] blocks =
        [
            "4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
            "4803 3330 37c1 c0bf",
            "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31",
        ];
        var decoder = new HpackDecoder(256);
        for (var i = 0; i < 3; i++)
        {
            Assert.That(Fields(decoder.Decode(Hex(blocks[i]))), Is.EqualTo(ResponseFields[i]), $"C.5.{i + 1}");
            Assert.That(TableLines(decoder.Table), Is.EqualTo(ResponseTables[i]), $"C.5.{i + 1} table");
            Assert.That(decoder.Table.Size, Is.EqualTo(ResponseTableSizes[i]));
        }
    }

    private static readonly string[] C6Blocks =
    [
        "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3",
        "4883 640e ffc1 c0bf",
        "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07",
    ];

    [Test]
    public void C6_ResponsesWithHuffman_DecodeAndOurEncoderWritesTheSameBytesAfterItsSizeUpdate()
    {
        var decoder = new HpackDecoder(256);
        var encoder = new HpackEncoder(256);
        for (var i = 0; i < 3; i++)
        {
            Assert.That(Fields(decoder.Decode(Hex(C6Blocks[i]))), Is.EqualTo(ResponseFields[i]), $"C.6.{i + 1}");
            Assert.That(TableLines(decoder.Table), Is.EqualTo(ResponseTables[i]), $"C.6.{i + 1} table");
            var fields = ResponseFields[i].Split('\n').Select(l => l.Split(": ", 2)).Select(p => new HeaderField(p[0], p[1]));
            var encoded = encoder.Encode(fields);
            // The encoder's table starts at the protocol's 4096 octets: its first block must announce the 256 (RFC 7541 4.2).
            var expected = i == 0 ? Hex("3fe101" + C6Blocks[i]) : Hex(C6Blocks[i]);
            Assert.That(Convert.ToHexString(encoded), Is.EqualTo(Convert.ToHexString(expected)), $"C.6.{i + 1} encoded");
            Assert.That(TableLines(encoder.Table), Is.EqualTo(ResponseTables[i]));
        }
    }

    private static string[] TableLines(HpackDynamicTable table) => Enumerable.Range(1, table.Count).Select(i => $"{table[i].Name}: {table[i].Value}").ToArray();

    [Test]
    public void DynamicTable_SizeUpdateEvictsOldestAndZeroEmptiesIt()
    {
        var decoder = new HpackDecoder();
        decoder.Decode(Hex(C4Blocks[0]));
        decoder.Decode(Hex(C4Blocks[1]));
        decoder.Decode(Hex(C4Blocks[2]));
        Assert.That(decoder.Table.Count, Is.EqualTo(3));
        // A size update to 110 (0x3f 0x4f) keeps the two newest entries (54 + 53 octets), then an indexed :method.
        Assert.That(Fields(decoder.Decode(Hex("3f4f 82"))), Is.EqualTo(":method: GET"));
        Assert.That(TableLines(decoder.Table), Is.EqualTo(new[] { "custom-key: custom-value", "cache-control: no-cache" }));
        Assert.That(decoder.Table.Size, Is.EqualTo(107));
        decoder.Decode(Hex("20"));
        Assert.That(decoder.Table.Count, Is.Zero);
        // Index 62 now points nowhere.
        Assert.Throws<HpackException>(() => decoder.Decode(Hex("be")));
    }

    [Test]
    public void DynamicTable_EntryLargerThanTheTableEmptiesIt()
    {
        var table = new HpackDynamicTable(100);
        table.Add(new HeaderField("a", "b"));
        table.Add(new HeaderField("big", new string('x', 80)));
        Assert.That(table.Count, Is.Zero);
        Assert.That(table.Size, Is.Zero);
    }

    [TestCase("3fe21f", TestName = "size update above the advertised limit")]
    [TestCase("82 20", TestName = "size update after a field")]
    [TestCase("80", TestName = "index 0")]
    [TestCase("c0", TestName = "index past the dynamic table")]
    [TestCase("41 85 aa", TestName = "truncated string")]
    [TestCase("41 81 ff", TestName = "huffman padding longer than 7 bits")]
    [TestCase("41 81 00", TestName = "huffman padding not all ones")]
    [TestCase("41 84 ff ff ff ff", TestName = "huffman EOS")]
    public void MalformedBlocks_AreCompressionErrors(string hex)
    {
        Assert.Throws<HpackException>(() => new HpackDecoder().Decode(Hex(hex)));
    }

    [Test]
    public void Huffman_RoundTripsEveryOctet()
    {
        var all = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var encoded = new byte[HpackHuffman.EncodedLength(all)];
        HpackHuffman.Encode(all, encoded);
        Assert.That(HpackHuffman.Decode(encoded), Is.EqualTo(all));
        Assert.That(Convert.ToHexString(Encode("www.example.com")), Is.EqualTo("F1E3C2E5F23A6BA0AB90F4FF"));
    }

    private static byte[] Encode(string s)
    {
        var raw = Encoding.Latin1.GetBytes(s);
        var encoded = new byte[HpackHuffman.EncodedLength(raw)];
        HpackHuffman.Encode(raw, encoded);
        return encoded;
    }

    [Test]
    public void Encoder_NeverIndexesCredentialsAndLowercasesNames()
    {
        var encoder = new HpackEncoder();
        var block = encoder.Encode([new HeaderField("Authorization", "Basic c2VjcmV0"), new HeaderField("X-Trace", "1")]);
        Assert.That(block[0] & 0xf0, Is.EqualTo(0x10), "never indexed (7.1.3)");
        Assert.That(encoder.Table.Count, Is.EqualTo(1));
        Assert.That(encoder.Table[1], Is.EqualTo(new HeaderField("x-trace", "1")));
        Assert.That(Fields(new HpackDecoder().Decode(block)), Is.EqualTo("authorization: Basic c2VjcmV0\nx-trace: 1"));
    }

    /// <summary>Found by the hpack fuzz target: names must come back as decoded, lower-cased in ASCII only.</summary>
    [Test]
    public void Encoder_LowerCasesAsciiLettersOnly()
    {
        var encoder = new HpackEncoder();
        var fields = new HpackDecoder().Decode(encoder.Encode([new HeaderField("X-\u00c0b", "1"), new HeaderField("\u00c0", "2")]));
        Assert.That(fields, Is.EqualTo(new[] { new HeaderField("x-\u00c0b", "1"), new HeaderField("\u00c0", "2") }));
    }

    [Test]
    public void Encoder_PeerShrinkingTheTableIsAnnouncedAsMinimumThenFinal()
    {
        var encoder = new HpackEncoder();
        var decoder = new HpackDecoder();
        decoder.Decode(encoder.Encode([new HeaderField("x-a", new string('a', 40))]));
        encoder.SetPeerMaxTableSize(0);
        encoder.SetPeerMaxTableSize(2048);
        var block = encoder.Encode([new HeaderField("x-b", "b")]);
        Assert.That(Convert.ToHexString(block[..4]), Is.EqualTo("203FE10F"), "size update 0, then 2048");
        decoder.Decode(block);
        Assert.That(TableLines(decoder.Table), Is.EqualTo(new[] { "x-b: b" }));
        Assert.That(decoder.Table.MaxSize, Is.EqualTo(2048));
    }
}
