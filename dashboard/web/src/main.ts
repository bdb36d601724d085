/** Entry point of the wall: applies the palette, then mounts the app. */
import { createApp } from 'vue'
import { cssVariables } from './palette.ts'
import './styles.css'
import WallApp from './WallApp.vue'

for (const [name, value] of Object.entries(cssVariables())) document.documentElement.style.setProperty(name, value)
createApp(WallApp).mount('#app')
