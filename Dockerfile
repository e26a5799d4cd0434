# syntax=docker/dockerfile:1
# Stockroom container image: build with the Maven wrapper, run the Quarkus fast-jar on a JVM runtime image.
#   docker build -t stockroom:dev .
# DockerfileIT checks after every `./mvnw verify` that each path copied from the build stage exists.

## Build stage: the Maven wrapper fetches Maven itself (the plugin needs Maven >= 3.9.12).
FROM registry.access.redhat.com/ubi9/openjdk-21:1.21 AS build
USER root
WORKDIR /build
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY src src
# Tests run in CI, not in the image build; the cache mount keeps ~/.m2 between builds.
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -ntp package -DskipTests

## Runtime stage: only the fast-jar, in layers from least to most often changed.
FROM registry.access.redhat.com/ubi9/openjdk-21-runtime:1.21
WORKDIR /deployments
# Third-party jars change rarely, so they form the lowest layer; the application's own classes come last.
COPY --from=build --chown=185 /build/target/quarkus-app/lib/ /deployments/lib/
COPY --from=build --chown=185 /build/target/quarkus-app/*.jar /deployments/
COPY --from=build --chown=185 /build/target/quarkus-app/app/ /deployments/app/
COPY --from=build --chown=185 /build/target/quarkus-app/quarkus/ /deployments/quarkus/
# 8080: HTTP API. 9000: management interface (health probes, Prometheus metrics).
EXPOSE 8080 9000
# Non-root; the pod also runs with a read-only root file system and a writable /tmp.
USER 185
# The heap follows the container's memory limit; the rest of the limit is for metaspace, threads and buffers.
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75.0 -XX:InitialRAMPercentage=50.0 -XX:+ExitOnOutOfMemoryError -Djava.util.logging.manager=org.jboss.logmanager.LogManager -Djava.io.tmpdir=/tmp"
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /deployments/quarkus-run.jar"]
