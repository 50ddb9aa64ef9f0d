package dev.drawbridge.console;
