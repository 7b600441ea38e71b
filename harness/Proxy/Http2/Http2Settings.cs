namespace Harness.Proxy.Http2;

/// <summary>One side's SETTINGS (RFC 9113 6.5.2), starting from the protocol's initial values.</summary>
public sealed class Http2Settings
{
    public const int DefaultInitialWindowSize = 65535;
    public const int DefaultMaxFrameSize = 16384;
    public const int MaxWindowSize = int.MaxValue;
    public const int MaxMaxFrameSize = (1 << 24) - 1;

    public int HeaderTableSize { get; set; } = 4096;
    public bool EnablePush { get; set; } = true;
    /// <summary>Unlimited (int.MaxValue) until the peer names a limit.</summary>
    public int MaxConcurrentStreams { get; set; } = int.MaxValue;
    public int InitialWindowSize { get; set; } = DefaultInitialWindowSize;
    public int MaxFrameSize { get; set; } = DefaultMaxFrameSize;
    /// <summary>Unlimited (int.MaxValue) until the peer names a limit.</summary>
    public int MaxHeaderListSize { get; set; } = int.MaxValue;
    /// <summary>RFC 8441: the peer accepts extended CONNECT (a <c>:protocol</c> pseudo-header).</summary>
    public bool EnableConnectProtocol { get; set; }

    public Http2Settings Clone() => (Http2Settings)MemberwiseClone();

    /// <summary>Applies one received parameter after checking its range (6.5.2); unknown identifiers are ignored.</summary>
    /// <exception cref="Http2ProtocolException">A value out of range: a connection error.</exception>
    public void Apply(Http2Setting setting)
    {
        var value = setting.Value;
        switch (setting.Id)
        {
            case Http2SettingId.HeaderTableSize:
                HeaderTableSize = (int)Math.Min(value, int.MaxValue);
                break;
            case Http2SettingId.EnablePush:
                if (value > 1) throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, $"SETTINGS_ENABLE_PUSH {value}");
                EnablePush = value == 1;
                break;
            case Http2SettingId.MaxConcurrentStreams:
                MaxConcurrentStreams = (int)Math.Min(value, int.MaxValue);
                break;
            case Http2SettingId.InitialWindowSize:
                if (value > MaxWindowSize) throw new Http2ProtocolException(Http2ErrorCode.FlowControlError, $"SETTINGS_INITIAL_WINDOW_SIZE {value}");
                InitialWindowSize = (int)value;
                break;
            case Http2SettingId.MaxFrameSize:
                if (value < DefaultMaxFrameSize || value > MaxMaxFrameSize) throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, $"SETTINGS_MAX_FRAME_SIZE {value}");
                MaxFrameSize = (int)value;
                break;
            case Http2SettingId.MaxHeaderListSize:
                MaxHeaderListSize = (int)Math.Min(value, int.MaxValue);
                break;
            case Http2SettingId.EnableConnectProtocol:
                if (value > 1) throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, $"SETTINGS_ENABLE_CONNECT_PROTOCOL {value}");
                EnableConnectProtocol = value == 1;
                break;
        }
    }
}
