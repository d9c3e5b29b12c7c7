using System.Globalization;
using System.Numerics;

namespace OdeGpu.Simd;

/// <summary>Conversions, parsing and formatting (host side): text lists the lanes; a number converts into every lane.</summary>
public partial struct Packed<T>
{
    /// <summary>The lanes as text, <c>&lt;l0, l1, ...&gt;</c>.</summary>
    public override string ToString() => Lanes.ToString();

    /// <summary>The lanes as text, each formatted with <paramref name="format"/>.</summary>
    public string ToString(string? format, IFormatProvider? formatProvider) => Lanes.ToString(format, formatProvider);

    /// <summary>Writes the lanes as <see cref="ToString(string?, IFormatProvider?)"/> does.</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        var text = ToString(format.IsEmpty ? null : format.ToString(), provider);
        charsWritten = text.TryCopyTo(destination) ? text.Length : 0;
        return charsWritten == text.Length;
    }

    /// <summary>Writes the lanes as UTF-8, as <see cref="ToString(string?, IFormatProvider?)"/> does.</summary>
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        var text = System.Text.Encoding.UTF8.GetBytes(ToString(format.IsEmpty ? null : format.ToString(), provider));
        bytesWritten = text.AsSpan().TryCopyTo(utf8Destination) ? text.Length : 0;
        return bytesWritten == text.Length;
    }

    /// <summary>One number parsed as <typeparamref name="T"/>, in every lane.</summary>
    public static Packed<T> Parse(string s, IFormatProvider? provider) => new(T.Parse(s, provider));

    /// <summary>One number parsed as <typeparamref name="T"/>, in every lane.</summary>
    public static Packed<T> Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => new(T.Parse(s, provider));

    /// <summary>One number parsed as <typeparamref name="T"/>, in every lane.</summary>
    public static Packed<T> Parse(string s, NumberStyles style, IFormatProvider? provider) => new(T.Parse(s, style, provider));

    /// <summary>One number parsed as <typeparamref name="T"/>, in every lane.</summary>
    public static Packed<T> Parse(ReadOnlySpan<char> s, NumberStyles style, IFormatProvider? provider) => new(T.Parse(s, style, provider));

    /// <summary>One number parsed as <typeparamref name="T"/>, in every lane, if the text is a number.</summary>
    public static bool TryParse(string? s, IFormatProvider? provider, out Packed<T> result) => Parsed(T.TryParse(s, provider, out var value), value, out result);

    /// <summary>One number parsed as <typeparamref name="T"/>, in every lane, if the text is a number.</summary>
    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out Packed<T> result) => Parsed(T.TryParse(s, provider, out var value), value, out result);

    /// <summary>One number parsed as <typeparamref name="T"/>, in every lane, if the text is a number.</summary>
    public static bool TryParse(string? s, NumberStyles style, IFormatProvider? provider, out Packed<T> result) =>
        Parsed(T.TryParse(s, style, provider, out var value), value, out result);

    /// <summary>One number parsed as <typeparamref name="T"/>, in every lane, if the text is a number.</summary>
    public static bool TryParse(ReadOnlySpan<char> s, NumberStyles style, IFormatProvider? provider, out Packed<T> result) =>
        Parsed(T.TryParse(s, style, provider, out var value), value, out result);

    /// <summary>Another number in every lane; a packed value of this type as itself.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> cannot be created from <typeparamref name="TOther"/>.</exception>
    static bool INumberBase<Packed<T>>.TryConvertFromChecked<TOther>(TOther value, out Packed<T> result)
    {
        result = value is Packed<T> same ? same : new(T.CreateChecked(value));
        return true;
    }

    /// <summary>Another number in every lane; a packed value of this type as itself.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> cannot be created from <typeparamref name="TOther"/>.</exception>
    static bool INumberBase<Packed<T>>.TryConvertFromSaturating<TOther>(TOther value, out Packed<T> result)
    {
        result = value is Packed<T> same ? same : new(T.CreateSaturating(value));
        return true;
    }

    /// <summary>Another number in every lane; a packed value of this type as itself.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> cannot be created from <typeparamref name="TOther"/>.</exception>
    static bool INumberBase<Packed<T>>.TryConvertFromTruncating<TOther>(TOther value, out Packed<T> result)
    {
        result = value is Packed<T> same ? same : new(T.CreateTruncating(value));
        return true;
    }

    /// <summary>Lane 0 converted to another number; recorded as a branch.</summary>
    static bool INumberBase<Packed<T>>.TryConvertToChecked<TOther>(Packed<T> value, out TOther result)
    {
        result = Branch("conversion", TOther.CreateChecked(value.Lanes[0]));
        return true;
    }

    /// <summary>Lane 0 converted to another number; recorded as a branch.</summary>
    static bool INumberBase<Packed<T>>.TryConvertToSaturating<TOther>(Packed<T> value, out TOther result)
    {
        result = Branch("conversion", TOther.CreateSaturating(value.Lanes[0]));
        return true;
    }

    /// <summary>Lane 0 converted to another number; recorded as a branch.</summary>
    static bool INumberBase<Packed<T>>.TryConvertToTruncating<TOther>(Packed<T> value, out TOther result)
    {
        result = Branch("conversion", TOther.CreateTruncating(value.Lanes[0]));
        return true;
    }

    private static bool Parsed(bool parsed, T value, out Packed<T> result)
    {
        result = new(value);
        return parsed;
    }
}
