/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-driver.c: runs a libFuzzer harness over files without libFuzzer (gcc builds, the test
 * suite): every FILE argument, and every file inside a DIRECTORY argument, is one input. The
 * checked-in corpus is replayed this way on every test run, so a crash found once stays fixed. */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static int
run_file (const char *path)
{
  g_autofree gchar *data = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;
  if (!g_file_get_contents (path, &data, &len, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  LLVMFuzzerTestOneInput ((const uint8_t *) data, len);
  return 0;
}

int
main (int argc, char **argv)
{
  guint n = 0;
  for (int i = 1; i < argc; i++)
    {
      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          g_autoptr(GDir) dir = g_dir_open (argv[i], 0, NULL);
          const char *name;
          while (dir && (name = g_dir_read_name (dir)))
            {
              g_autofree gchar *path = g_build_filename (argv[i], name, NULL);
              if (run_file (path))
                return 1;
              n++;
            }
        }
      else if (run_file (argv[i]))
        return 1;
      else
        n++;
    }
  printf ("%s: %u inputs ran\n", argv[0], n);
  return n > 0 ? 0 : 1;
}
