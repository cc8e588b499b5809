package dev.maas.controlplane.cluster;

import dev.maas.controlplane.db.Database;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells subscribers when routing-relevant state changed, on this or any other control-plane
 * replica: database triggers {@code NOTIFY maas_changes} on commit and this feed {@code LISTEN}s on
 * a connection of its own. Subscribers run on the feed's thread, once per burst of changes, and
 * also once every {@link #RESYNC_MILLIS} in case a notification was lost with a connection.
 */
@Context
public final class ChangeFeed {

  private static final Logger log = LoggerFactory.getLogger(ChangeFeed.class);

  /** Subscribers also run this often without a notification. */
  static final long RESYNC_MILLIS = 5_000;

  private final Database database;
  private final List<Runnable> subscribers = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  public ChangeFeed(Database database) {
    this.database = database;
    this.thread = new Thread(this::run, "change-feed");
    thread.setDaemon(true);
    thread.start();
  }

  /** Calls {@code subscriber} after every burst of changes. */
  public void subscribe(Runnable subscriber) {
    subscribers.add(subscriber);
  }

  private void run() {
    while (running) {
      try (Connection connection = database.dataSource().getConnection()) {
        connection.setAutoCommit(true);
        try (Statement listen = connection.createStatement()) {
          listen.execute("LISTEN maas_changes");
        }
        PGConnection postgres = connection.unwrap(PGConnection.class);
        publish();
        long lastPublish = System.nanoTime();
        while (running) {
          PGNotification[] notifications = postgres.getNotifications(500);
          boolean due =
              System.nanoTime() - lastPublish > TimeUnit.MILLISECONDS.toNanos(RESYNC_MILLIS);
          if ((notifications != null && notifications.length > 0) || due) {
            publish();
            lastPublish = System.nanoTime();
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (running) {
          log.warn("change feed lost its connection; listening again in 1 s: {}", e.getMessage());
          sleepQuietly(1_000);
        }
      }
    }
  }

  private void publish() {
    for (Runnable subscriber : subscribers) {
      try {
        subscriber.run();
      } catch (RuntimeException e) {
        log.error("change subscriber failed", e);
      }
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @PreDestroy
  void stop() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(2_000);
  }
}
