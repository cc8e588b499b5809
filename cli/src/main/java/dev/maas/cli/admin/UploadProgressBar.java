package dev.maas.cli.admin;

import dev.maas.sdk.admin.UploadProgress;
import java.io.PrintWriter;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar of an upload on standard error: bytes sent, rate and time left. At a terminal it
 * redraws in place; elsewhere (a log, a test) it prints a line every second.
 */
final class UploadProgressBar implements UploadProgress, AutoCloseable {

  private static final long MIB = 1L << 20;

  private final ProgressBar bar;

  UploadProgressBar(String task, PrintWriter err, boolean interactive) {
    ProgressBarConsumer consumer =
        interactive
            ? new ConsoleProgressBarConsumer(System.err)
            : new DelegatingProgressBarConsumer(
                line -> {
                  err.println(line);
                  err.flush();
                },
                100);
    this.bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setUnit(" MiB", MIB)
            .showSpeed()
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(interactive ? 200 : 1000)
            .setConsumer(consumer)
            .build();
  }

  @Override
  public void onProgress(long sentBytes, long totalBytes) {
    bar.maxHint(totalBytes);
    bar.stepTo(sentBytes);
  }

  @Override
  public void close() {
    bar.close();
  }
}
