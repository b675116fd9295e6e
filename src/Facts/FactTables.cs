namespace GovernanceDashboard.Facts;

/// <summary>The facts the metrics and the inventory compute over, one compact column per field, indexed by row id
/// (SQLite ids are dense). Instants are UTC milliseconds; <see cref="Never"/> stands for "no such time".</summary>
/// <remarks>About 60 bytes a token, 30 an exposure, 12 an occurrence, plus each distinct string once.
/// Mutated only under <see cref="GovernanceFacts"/>' write lock; read under its read lock.</remarks>
internal sealed class FactTables
{
    public const long Never = long.MaxValue;

    public TokenColumns Tokens { get; } = new();
    public ExposureColumns Exposures { get; } = new();
    public GrantColumns Grants { get; } = new();
    public PersonColumns People { get; } = new();
    public TaskColumns Tasks { get; } = new();
    public CampaignColumns Campaigns { get; } = new();
    public OccurrenceColumns Occurrences { get; } = new();

    public StringTable Masks { get; } = new();
    public StringTable Accounts { get; } = new();
    public StringTable Organizations { get; } = new();
    public StringTable Repositories { get; } = new();
    public StringTable Teams { get; } = new();

    /// <summary>The team number of a token's confirmed owner (the directory as it is now), or -1.</summary>
    public int TeamOf(int token)
    {
        var owner = Tokens.Owner[token];
        return owner > 0 && owner <= People.MaxId && People.Present[owner] ? People.Team[owner] : -1;
    }

    /// <summary>Which tokens have an exposure open at <paramref name="at"/>.</summary>
    public bool[] ExposedAt(long at)
    {
        var e = Exposures;
        var exposed = new bool[Tokens.MaxId + 1];
        for (var id = 1; id <= e.MaxId; id++)
            if (e.Present[id] && e.OpenAt(id, at) && e.Token[id] < exposed.Length) exposed[e.Token[id]] = true;
        return exposed;
    }

    /// <summary>Which tokens an approved, unexpired, not withdrawn grant covers at <paramref name="at"/>.</summary>
    public bool[] JustifiedAt(long at)
    {
        var g = Grants;
        var justified = new bool[Tokens.MaxId + 1];
        for (var id = 1; id <= g.MaxId; id++)
            if (g.Present[id] && g.CoversAt(id, at) && g.Token[id] < justified.Length) justified[g.Token[id]] = true;
        return justified;
    }

    public static long Millis(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    /// <summary>Hours in a span of milliseconds, exactly as <see cref="TimeSpan.TotalHours"/> computes them.</summary>
    public static double Hours(long millis) => (double)(millis * TimeSpan.TicksPerMillisecond) / TimeSpan.TicksPerHour;
}

/// <summary>Columns of one entity: a presence flag per id and the highest id seen.</summary>
internal abstract class Columns
{
    public int MaxId { get; private set; }
    public bool[] Present = new bool[16];

    /// <summary>Makes room for <paramref name="id"/> in every column.</summary>
    public void Ensure(int id)
    {
        if (id >= Present.Length)
        {
            var size = Math.Max(id + 1, Present.Length * 2);
            Array.Resize(ref Present, size);
            Resize(size);
        }
        if (id > MaxId) MaxId = id;
    }

    /// <summary>Makes room for a row the loader read and marks it present; returns its id.</summary>
    public int Add(int id)
    {
        Ensure(id);
        Present[id] = true;
        return id;
    }

    protected abstract void Resize(int size);
}

internal sealed class TokenColumns : Columns
{
    public byte[] Platform = new byte[16], Kind = new byte[16], Write = new byte[16];
    public bool[] Identified = new bool[16];
    public int[] Owner = new int[16], Suggested = new int[16], Mask = new int[16], Account = new int[16], Organizations = new int[16];
    public long[] FirstSeen = new long[16], LastSeen = new long[16], Revoked = new long[16], Expires = new long[16];

    /// <summary>The stored blast-radius score (BlastRadiusRule.Effective decides what counts as of an instant).</summary>
    public float[] BlastRadius = new float[16];

    protected override void Resize(int size)
    {
        Array.Resize(ref BlastRadius, size);
        Array.Resize(ref Platform, size); Array.Resize(ref Kind, size); Array.Resize(ref Write, size); Array.Resize(ref Identified, size);
        Array.Resize(ref Owner, size); Array.Resize(ref Suggested, size); Array.Resize(ref Mask, size); Array.Resize(ref Account, size);
        Array.Resize(ref Organizations, size); Array.Resize(ref FirstSeen, size); Array.Resize(ref LastSeen, size);
        Array.Resize(ref Revoked, size); Array.Resize(ref Expires, size);
    }

    /// <summary><see cref="TokenStatusRule"/> as of <paramref name="at"/>, given whether an exposure is open then.</summary>
    public TokenStatus StatusAt(int id, long at, bool exposed) => TokenStatusRule.At(Revoked[id], Expires[id], at, exposed);
}

internal sealed class ExposureColumns : Columns
{
    public int[] Token = new int[16];
    public byte[] Severity = new byte[16], State = new byte[16];
    public long[] Detected = new long[16], Remediated = new long[16], Dismissed = new long[16];

    protected override void Resize(int size)
    {
        Array.Resize(ref Token, size); Array.Resize(ref Severity, size); Array.Resize(ref State, size);
        Array.Resize(ref Detected, size); Array.Resize(ref Remediated, size); Array.Resize(ref Dismissed, size);
    }

    /// <summary><see cref="ExposureOpenRule"/> at <paramref name="at"/>.</summary>
    public bool OpenAt(int id, long at) => ExposureOpenRule.IsOpenAt(Detected[id], Remediated[id], Dismissed[id], at);
}

internal sealed class GrantColumns : Columns
{
    public int[] Token = new int[16];
    public long[] Approved = new long[16], Expires = new long[16], Withdrawn = new long[16];

    protected override void Resize(int size)
    {
        Array.Resize(ref Token, size); Array.Resize(ref Approved, size); Array.Resize(ref Expires, size); Array.Resize(ref Withdrawn, size);
    }

    /// <summary><see cref="GrantInForceRule"/> at <paramref name="at"/>.</summary>
    public bool CoversAt(int id, long at) => GrantInForceRule.InForceAt(Approved[id], Expires[id], Withdrawn[id], at);
}

internal sealed class PersonColumns : Columns
{
    public string[] Email = new string[16];
    public int[] Team = new int[16];
    public bool[] Active = new bool[16];

    protected override void Resize(int size)
    {
        Array.Resize(ref Email, size); Array.Resize(ref Team, size); Array.Resize(ref Active, size);
    }
}

internal sealed class TaskColumns : Columns
{
    public int[] Campaign = new int[16], Token = new int[16];
    public bool[] Answered = new bool[16];
    public long[] AnsweredAt = new long[16];

    protected override void Resize(int size)
    {
        Array.Resize(ref Campaign, size); Array.Resize(ref Token, size); Array.Resize(ref Answered, size); Array.Resize(ref AnsweredAt, size);
    }
}

internal sealed class CampaignColumns : Columns
{
    public long[] Opened = new long[16], Deadline = new long[16];

    protected override void Resize(int size)
    {
        Array.Resize(ref Opened, size); Array.Resize(ref Deadline, size);
    }
}

internal sealed class OccurrenceColumns : Columns
{
    public int[] Token = new int[16], Repository = new int[16];

    protected override void Resize(int size)
    {
        Array.Resize(ref Token, size); Array.Resize(ref Repository, size);
    }
}
