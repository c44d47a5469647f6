package io.greenbridge;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Greenbridge: Greenhouse ⇄ Beamery integration runtime and Greenhouse Assessment Partner. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GreenbridgeApplication {
    public static void main(String[] args) {
        SpringApplication.run(GreenbridgeApplication.class, args);
    }
}
