/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-tone: makes test tones and checks recorded audio for them.
 *
 *   trv-tone gen --freq HZ [--rate 48000] [--seconds 5] [--amplitude 0.5] OUT.wav
 *   trv-tone check --freq HZ [--min-fraction 0.5] [--skip-seconds S] IN.wav
 *   trv-tone check --freq HZ --absent [--max-fraction 0.05] [--skip-seconds S] IN.wav
 *
 * check splits the file into 20 ms frames and counts the frames in which the tone
 * dominates: the Goertzel energy at HZ is more than half of the frame's energy and the
 * frame is not silent. It prints "tone HZ: N of M frames (P%)" and exits 0 when the
 * fraction is at least --min-fraction (with --absent: at most --max-fraction), 1 when
 * not, 2 on bad usage or input. */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define FRAME_MS 20
/* A frame quieter than this RMS (-50 dBFS) counts as silent, never as tone. */
#define SILENCE_RMS 0.00316
/* Share of the frame energy at the target frequency for the frame to count. */
#define DOMINANCE 0.5

static double opt_freq = 0;
static int opt_rate = 48000;
static double opt_seconds = 5;
static double opt_amplitude = 0.5;
static double opt_min_fraction = 0.5;
static double opt_max_fraction = 0.05;
static double opt_skip = 0;
static gboolean opt_absent = FALSE;
static gboolean opt_verbose = FALSE;

static void
put_le16 (GByteArray *b, guint16 v)
{
  guint8 d[2] = { v & 0xff, v >> 8 };
  g_byte_array_append (b, d, 2);
}

static void
put_le32 (GByteArray *b, guint32 v)
{
  guint8 d[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };
  g_byte_array_append (b, d, 4);
}

static guint16
get_le16 (const guint8 *p)
{
  return p[0] | (p[1] << 8);
}

static guint32
get_le32 (const guint8 *p)
{
  return p[0] | (p[1] << 8) | (p[2] << 16) | ((guint32) p[3] << 24);
}

static int
do_gen (const char *path)
{
  if (opt_freq <= 0 || opt_freq >= opt_rate / 2.0)
    {
      g_printerr ("trv-tone gen: --freq must be between 0 and half the rate (%d Hz)\n", opt_rate);
      return 2;
    }
  if (opt_rate < 8000 || opt_rate > 192000 || opt_seconds <= 0 || opt_seconds > 3600 ||
      opt_amplitude <= 0 || opt_amplitude > 1)
    {
      g_printerr ("trv-tone gen: --rate 8000..192000, --seconds 0..3600, --amplitude 0..1\n");
      return 2;
    }
  guint32 n = (guint32) (opt_rate * opt_seconds);
  g_autoptr(GByteArray) b = g_byte_array_sized_new (44 + n * 2);
  g_byte_array_append (b, (const guint8 *) "RIFF", 4);
  put_le32 (b, 36 + n * 2);
  g_byte_array_append (b, (const guint8 *) "WAVEfmt ", 8);
  put_le32 (b, 16);
  put_le16 (b, 1);              /* PCM */
  put_le16 (b, 1);              /* mono */
  put_le32 (b, opt_rate);
  put_le32 (b, opt_rate * 2);   /* byte rate */
  put_le16 (b, 2);              /* block align */
  put_le16 (b, 16);
  g_byte_array_append (b, (const guint8 *) "data", 4);
  put_le32 (b, n * 2);
  for (guint32 i = 0; i < n; i++)
    {
      double v = opt_amplitude * sin (2 * G_PI * opt_freq * i / opt_rate);
      put_le16 (b, (guint16) (gint16) lrint (v * 32767));
    }
  g_autoptr(GError) error = NULL;
  if (!g_file_set_contents (path, (const char *) b->data, b->len, &error))
    {
      g_printerr ("trv-tone gen: %s\n", error->message);
      return 2;
    }
  return 0;
}

typedef struct {
  guint rate;
  guint channels;
  const guint8 *samples;   /* interleaved little-endian 16-bit */
  gsize n_frames;          /* sample frames (one sample per channel) */
} Wav;

/* Accepts PCM and WAVE_FORMAT_EXTENSIBLE with 16-bit samples. A data chunk whose size
 * is 0 or runs past the end (a recorder killed before it finalised the header) is
 * taken as "up to the end of the file". */
static gboolean
parse_wav (const guint8 *d, gsize len, Wav *wav, GString *why)
{
  if (len < 12 || memcmp (d, "RIFF", 4) != 0 || memcmp (d + 8, "WAVE", 4) != 0)
    {
      g_string_assign (why, "not a RIFF/WAVE file");
      return FALSE;
    }
  gboolean have_fmt = FALSE;
  gsize pos = 12;
  while (pos + 8 <= len)
    {
      const guint8 *id = d + pos;
      gsize size = get_le32 (d + pos + 4);
      const guint8 *body = d + pos + 8;
      gsize avail = len - pos - 8;
      if (memcmp (id, "fmt ", 4) == 0)
        {
          if (size < 16 || avail < 16)
            {
              g_string_assign (why, "truncated fmt chunk");
              return FALSE;
            }
          guint16 format = get_le16 (body);
          wav->channels = get_le16 (body + 2);
          wav->rate = get_le32 (body + 4);
          guint16 bits = get_le16 (body + 14);
          if (format == 0xfffe && size >= 26 && avail >= 26)
            format = get_le16 (body + 24);   /* SubFormat GUID starts with the format tag */
          if (format != 1 || bits != 16)
            {
              g_string_printf (why, "only 16-bit PCM is supported (format %u, %u bits)",
                               format, bits);
              return FALSE;
            }
          if (wav->channels < 1 || wav->channels > 2 || wav->rate < 4000 || wav->rate > 192000)
            {
              g_string_printf (why, "unsupported layout: %u channels at %u Hz",
                               wav->channels, wav->rate);
              return FALSE;
            }
          have_fmt = TRUE;
        }
      else if (memcmp (id, "data", 4) == 0)
        {
          if (!have_fmt)
            {
              g_string_assign (why, "data chunk before fmt chunk");
              return FALSE;
            }
          if (size == 0 || size > avail)
            size = avail;
          wav->samples = body;
          wav->n_frames = size / (2 * wav->channels);
          return TRUE;
        }
      pos += 8 + size + (size & 1);
    }
  g_string_assign (why, have_fmt ? "no data chunk" : "no fmt chunk");
  return FALSE;
}

/* Goertzel power at an arbitrary (non-integer bin) frequency. */
static double
goertzel_power (const double *x, gsize n, double freq, guint rate)
{
  double w = 2 * G_PI * freq / rate;
  double coeff = 2 * cos (w);
  double s1 = 0, s2 = 0;
  for (gsize i = 0; i < n; i++)
    {
      double s0 = x[i] + coeff * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

static int
do_check (const char *path)
{
  if (opt_freq <= 0)
    {
      g_printerr ("trv-tone check: --freq HZ is required\n");
      return 2;
    }
  if (opt_min_fraction < 0 || opt_min_fraction > 1 || opt_max_fraction < 0 ||
      opt_max_fraction > 1 || opt_skip < 0)
    {
      g_printerr ("trv-tone check: fractions must be within 0..1, --skip-seconds >= 0\n");
      return 2;
    }
  g_autofree gchar *data = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;
  if (!g_file_get_contents (path, &data, &len, &error))
    {
      g_printerr ("trv-tone check: %s\n", error->message);
      return 2;
    }
  Wav wav = { 0 };
  g_autoptr(GString) why = g_string_new (NULL);
  if (!parse_wav ((const guint8 *) data, len, &wav, why))
    {
      g_printerr ("trv-tone check: %s: %s\n", path, why->str);
      return 2;
    }
  if (opt_freq >= wav.rate / 2.0)
    {
      g_printerr ("trv-tone check: %g Hz cannot be present in a %u Hz recording\n",
                  opt_freq, wav.rate);
      return 2;
    }

  gsize frame_len = wav.rate * FRAME_MS / 1000;
  gsize start = (gsize) (opt_skip * wav.rate);
  if (start >= wav.n_frames || (wav.n_frames - start) < frame_len)
    {
      g_printerr ("trv-tone check: %s: no complete 20 ms frame after %.2f s "
                  "(the file holds %.2f s)\n", path, opt_skip,
                  (double) wav.n_frames / wav.rate);
      return 2;
    }
  g_autofree double *x = g_new (double, frame_len);
  guint total = 0, hits = 0;
  for (gsize f = start; f + frame_len <= wav.n_frames; f += frame_len)
    {
      double energy = 0, mean = 0;
      for (gsize i = 0; i < frame_len; i++)
        {
          const guint8 *p = wav.samples + (f + i) * 2 * wav.channels;
          double v = (gint16) get_le16 (p) / 32768.0;
          if (wav.channels == 2)
            v = (v + (gint16) get_le16 (p + 2) / 32768.0) / 2;
          x[i] = v;
          mean += v;
        }
      /* DC offset is not tone and not noise: remove it before comparing energies. */
      mean /= frame_len;
      for (gsize i = 0; i < frame_len; i++)
        {
          x[i] -= mean;
          energy += x[i] * x[i];
        }
      double rms = sqrt (energy / frame_len);
      /* A sine of amplitude A has Goertzel power (A N / 2)^2 and energy A^2 N / 2. */
      double share = energy > 0 ? 2 * goertzel_power (x, frame_len, opt_freq, wav.rate) /
                     (frame_len * energy) : 0;
      gboolean tone = rms >= SILENCE_RMS && share > DOMINANCE;
      if (opt_verbose)
        g_print ("%8.3f s rms %.4f share %.3f%s\n", (double) f / wav.rate, rms, share,
                 tone ? " tone" : "");
      total++;
      hits += tone;
    }
  double fraction = (double) hits / total;
  g_print ("tone %g: %u of %u frames (%.1f%%)\n", opt_freq, hits, total, 100 * fraction);
  if (opt_absent)
    return fraction <= opt_max_fraction ? 0 : 1;
  return fraction >= opt_min_fraction ? 0 : 1;
}

int
main (int argc, char **argv)
{
  GOptionEntry entries[] = {
    { "freq", 0, 0, G_OPTION_ARG_DOUBLE, &opt_freq, "Tone frequency", "HZ" },
    { "rate", 0, 0, G_OPTION_ARG_INT, &opt_rate, "gen: sample rate (48000)", "HZ" },
    { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, &opt_seconds, "gen: length (5)", "S" },
    { "amplitude", 0, 0, G_OPTION_ARG_DOUBLE, &opt_amplitude, "gen: peak, 0..1 (0.5)", "A" },
    { "min-fraction", 0, 0, G_OPTION_ARG_DOUBLE, &opt_min_fraction,
      "check: least share of frames with the tone (0.5)", "F" },
    { "max-fraction", 0, 0, G_OPTION_ARG_DOUBLE, &opt_max_fraction,
      "check --absent: most share of frames with the tone (0.05)", "F" },
    { "skip-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &opt_skip,
      "check: ignore the start of the file", "S" },
    { "absent", 0, 0, G_OPTION_ARG_NONE, &opt_absent, "check: assert the tone is NOT there", NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &opt_verbose, "check: print every frame", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("gen|check FILE.wav");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_summary (ctx, "Generate a sine tone WAV, or check a WAV for one.");
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("trv-tone: %s\n", error->message);
      return 2;
    }
  if (argc != 3)
    {
      g_printerr ("usage: trv-tone gen|check --freq HZ [options] FILE.wav (see --help)\n");
      return 2;
    }
  if (g_str_equal (argv[1], "gen"))
    return do_gen (argv[2]);
  if (g_str_equal (argv[1], "check"))
    return do_check (argv[2]);
  g_printerr ("trv-tone: unknown command '%s' (gen or check)\n", argv[1]);
  return 2;
}
