package dev.maas.standalone.security;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.slf4j.LoggerFactory;

/**
 * Captures everything this JVM logs while it is open — logback events (control plane, gateway,
 * Micronaut, the embedded PostgreSQL's output) and java.util.logging records (gRPC) — with the
 * platform's loggers turned up to TRACE, so a secret logged at any level is seen.
 */
final class LogCapture implements AutoCloseable {

  private static final String[] LOUDER = {"dev.maas", "io.zonky", "io.micronaut"};

  private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final Map<String, Level> levels = new HashMap<>();
  private final AppenderBase<ILoggingEvent> appender =
      new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
          StringBuilder line =
              new StringBuilder()
                  .append(event.getLevel())
                  .append(' ')
                  .append(event.getLoggerName())
                  .append(" - ")
                  .append(event.getFormattedMessage())
                  .append(' ')
                  .append(event.getMDCPropertyMap());
          if (event.getThrowableProxy() != null) {
            line.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
          }
          lines.add(line.toString());
        }
      };
  private final Handler julHandler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          lines.add(
              record.getLevel()
                  + " "
                  + record.getLoggerName()
                  + " - "
                  + new java.util.logging.SimpleFormatter().formatMessage(record)
                  + (record.getThrown() == null ? "" : " " + record.getThrown()));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  /** Starts capturing. */
  static LogCapture start() {
    LogCapture capture = new LogCapture();
    capture.attach();
    return capture;
  }

  private void attach() {
    for (String name : LOUDER) {
      Logger logger = context.getLogger(name);
      levels.put(name, logger.getLevel());
      logger.setLevel(Level.TRACE);
    }
    // The access log is quiet in tests; here it must speak.
    Logger access = context.getLogger("dev.maas.gateway.access");
    levels.put(access.getName(), access.getLevel());
    access.setLevel(Level.TRACE);
    appender.setContext(context);
    appender.setName("secret-scan");
    appender.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    java.util.logging.Logger.getLogger("").addHandler(julHandler);
  }

  /** Every line captured so far. */
  String text() {
    return String.join("\n", lines);
  }

  /** How many lines were captured so far. */
  int lines() {
    return lines.size();
  }

  @Override
  public void close() {
    java.util.logging.Logger.getLogger("").removeHandler(julHandler);
    context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
    appender.stop();
    levels.forEach((name, level) -> context.getLogger(name).setLevel(level));
  }
}
