namespace Harness.VirtualDevice.Android;

/// <summary>
/// The display as a driver meets it: awake or asleep, behind the keyguard or not (a secure lock — PIN, pattern — is not
/// dismissed by `wm dismiss-keyguard`), and whether the window is still animating (then uiautomator cannot get an idle
/// state). Thread-safe.
/// </summary>
public sealed class ScreenState
{
    private readonly object _lock = new();
    private bool _awake = true;
    private bool _locked;
    private bool _secureLock;
    private int _animatingDumps;

    public bool Awake { get { lock (_lock) return _awake; } }
    public bool Locked { get { lock (_lock) return _locked; } }
    public bool SecureLock { get { lock (_lock) return _secureLock; } }

    /// <summary>The power button: the screen goes off and the keyguard comes up.</summary>
    public void Sleep()
    {
        lock (_lock)
        {
            _awake = false;
            _locked = true;
        }
    }

    /// <summary>The phone locks (secure: with a PIN, so only a person can unlock it).</summary>
    public void Lock(bool secure)
    {
        lock (_lock)
        {
            _locked = true;
            _secureLock = secure;
        }
    }

    public void Wake()
    {
        lock (_lock) _awake = true;
    }

    /// <summary>`wm dismiss-keyguard`: an awake phone without a secure lock is unlocked. Returns whether it is unlocked now.</summary>
    public bool DismissKeyguard()
    {
        lock (_lock)
        {
            if (_awake && !_secureLock) _locked = false;
            return !_locked;
        }
    }

    /// <summary>A person unlocks the phone.</summary>
    public void Unlock()
    {
        lock (_lock)
        {
            _awake = true;
            _locked = false;
        }
    }

    /// <summary>A page transition starts: the next <paramref name="dumps"/> uiautomator dumps find no idle state.</summary>
    public void Animate(int dumps)
    {
        lock (_lock) _animatingDumps = Math.Max(_animatingDumps, dumps);
    }

    /// <summary>True (and one frame less to go) while the window is still animating.</summary>
    internal bool ConsumeAnimatingDump()
    {
        lock (_lock)
        {
            if (_animatingDumps <= 0) return false;
            _animatingDumps--;
            return true;
        }
    }
}
