using System.Collections;
using System.Text.RegularExpressions;

namespace OdeGpu.Bench;

/// <summary>
/// The most 32-bit registers a PTX kernel holds live at once, by liveness analysis of its virtual registers (a 64-bit
/// register counts two, predicates none). ptxas may lower it by rescheduling or rematerializing and needs a few more of
/// its own, so this estimates the registers the kernel needs without spilling; sm_90 allows 255 per thread. Registers
/// loaded from the kernel's parameters can be left out: ptxas may read those from the constant bank where used.
/// </summary>
public static partial class PtxRegisterPressure
{
    /// <summary>The peak of the one entry point of <paramref name="ptx"/>.</summary>
    /// <param name="ptx">PTX with one entry point and no calls.</param>
    /// <param name="countParameters">Whether registers loaded by ld.param count.</param>
    public static int Peak(string ptx, bool countParameters)
    {
        var units = new Dictionary<string, int>();
        foreach (Match m in RegisterDeclaration().Matches(ptx))
            units[m.Groups[2].Value] = m.Groups[1].Value switch { "pred" => 0, var t when t.EndsWith("64", StringComparison.Ordinal) => 2, _ => 1 };
        var (instructions, labels) = Parse(ptx);
        var ids = new Dictionary<string, int>();
        int Id(string register) => ids.TryGetValue(register, out var id) ? id : ids[register] = ids.Count;
        var defs = instructions.Select(i => i.Defs.Select(Id).ToArray()).ToArray();
        var uses = instructions.Select(i => i.Uses.Select(Id).ToArray()).ToArray();
        var size = ids.OrderBy(p => p.Value).Select(p => units[Prefix().Match(p.Key).Value]).ToArray();
        if (!countParameters)
            foreach (var d in instructions.Where(i => i.LoadsParameter).SelectMany(i => i.Defs))
                size[ids[d]] = 0;

        // Basic blocks start at branch targets and after branches; live-in sets by backward iteration to a fixed point.
        var leaders = new SortedSet<int>(labels.Values) { 0 };
        for (var i = 0; i < instructions.Count; i++)
            if (instructions[i].Branches)
                leaders.Add(i + 1);
        var starts = leaders.Where(i => i < instructions.Count).ToArray();
        var blockOf = new int[instructions.Count + 1];
        for (var b = 0; b < starts.Length; b++)
            for (var i = starts[b]; i < (b + 1 < starts.Length ? starts[b + 1] : instructions.Count); i++)
                blockOf[i] = b;
        int End(int b) => b + 1 < starts.Length ? starts[b + 1] : instructions.Count;
        int[] Successors(int b)
        {
            var last = instructions[End(b) - 1];
            var next = End(b) < instructions.Count ? new[] { blockOf[End(b)] } : [];
            var target = last.Target is { } t ? new[] { blockOf[labels[t]] } : [];
            return last.Ends ? [] : last.Target is not null && !last.Guarded ? target : [.. target, .. next];
        }
        var liveIn = starts.Select(_ => new BitArray(ids.Count)).ToArray();
        for (var changed = true; changed;)
        {
            changed = false;
            for (var b = starts.Length - 1; b >= 0; b--)
            {
                var live = LiveOut(b);
                for (var i = End(b) - 1; i >= starts[b]; i--)
                    Step(live, i);
                if (!Same(live, liveIn[b]))
                {
                    liveIn[b] = live;
                    changed = true;
                }
            }
        }
        var peak = 0;
        for (var b = 0; b < starts.Length; b++)
        {
            var live = LiveOut(b);
            for (var i = End(b) - 1; i >= starts[b]; i--)
            {
                var held = (BitArray)live.Clone();
                foreach (var d in defs[i])
                    held[d] = true;
                peak = Math.Max(peak, Units(held));
                Step(live, i);
            }
        }
        return peak;

        BitArray LiveOut(int b) => Successors(b).Aggregate(new BitArray(ids.Count), (live, s) => live.Or(liveIn[s]));

        void Step(BitArray live, int i)
        {
            if (!instructions[i].Guarded)
                foreach (var d in defs[i])
                    live[d] = false;
            foreach (var u in uses[i])
                live[u] = true;
        }

        int Units(BitArray live)
        {
            var sum = 0;
            for (var r = 0; r < live.Length; r++)
                if (live[r])
                    sum += size[r];
            return sum;
        }

        static bool Same(BitArray a, BitArray b) => a.Length == b.Length && ((BitArray)a.Clone()).Xor(b).Cast<bool>().All(x => !x);
    }

    private sealed record Instruction(string[] Defs, string[] Uses, string? Target, bool Guarded, bool Ends, bool LoadsParameter)
    {
        public bool Branches => Target is not null || Ends;
    }

    private static (List<Instruction> Instructions, Dictionary<string, int> Labels) Parse(string ptx)
    {
        var instructions = new List<Instruction>();
        var labels = new Dictionary<string, int>();
        var body = ptx[(ptx.IndexOf('{', ptx.IndexOf(".entry", StringComparison.Ordinal)) + 1)..ptx.LastIndexOf('}')];
        foreach (var raw in body.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal) || line.StartsWith(".reg", StringComparison.Ordinal))
                continue;
            if (line.EndsWith(':'))
            {
                labels[line[..^1]] = instructions.Count;
                continue;
            }
            var guard = line.StartsWith('@') ? line[1..line.IndexOf(' ', StringComparison.Ordinal)].TrimStart('!') : null;
            var text = (guard is null ? line : line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..]).TrimEnd(';').Trim();
            var split = text.IndexOfAny([' ', '\t']);
            var opcode = split < 0 ? text : text[..split];
            var operands = split < 0 ? [] : text[split..].Split(',');
            var writes = !(opcode.StartsWith("st.", StringComparison.Ordinal) || opcode.StartsWith("red.", StringComparison.Ordinal)
                || opcode.StartsWith("bra", StringComparison.Ordinal) || opcode is "ret" or "exit" || opcode.StartsWith("bar", StringComparison.Ordinal))
                && operands.Length > 0 && !operands[0].Contains('[');
            var defs = writes ? Registers(operands[0]) : [];
            var uses = (writes ? operands.Skip(1) : operands).SelectMany(Registers).Concat(guard is null ? [] : [guard]).ToArray();
            var target = opcode.StartsWith("bra", StringComparison.Ordinal) ? operands[0].Trim() : null;
            instructions.Add(new Instruction(defs, uses, target, guard is not null, guard is null && opcode is "ret" or "exit",
                opcode.StartsWith("ld.param", StringComparison.Ordinal)));
        }
        return (instructions, labels);
    }

    private static string[] Registers(string operand) => VirtualRegister().Matches(operand).Select(m => m.Value).ToArray();

    [GeneratedRegex(@"\.reg\s+\.(\w+)\s+(%\w+?)<\d+>")]
    private static partial Regex RegisterDeclaration();

    [GeneratedRegex(@"%[a-z]+\d+\b")]
    private static partial Regex VirtualRegister();

    [GeneratedRegex(@"^%[a-z]+")]
    private static partial Regex Prefix();
}
