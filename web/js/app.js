// Placeholder entry point until the dashboard's modules land.
document.getElementById('app').textContent = 'sitewarden';
