/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-bench-empty-window.c: the floor for bench-startup.py, an AdwApplication that shows
 * one empty AdwApplicationWindow (a header bar and a status page) and does nothing else. */
#include <adwaita.h>

static void
on_activate (GtkApplication *app)
{
  GtkWidget *window = adw_application_window_new (app);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  GtkWidget *page = adw_status_page_new ();
  adw_status_page_set_title (ADW_STATUS_PAGE (page), "Empty");
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), page);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_title (GTK_WINDOW (window), "Empty");
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  /* NON_UNIQUE: every run is its own process, as the benchmark starts them. */
  g_autoptr(AdwApplication) app =
    adw_application_new ("org.traverse.BenchEmptyWindow", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (on_activate), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
